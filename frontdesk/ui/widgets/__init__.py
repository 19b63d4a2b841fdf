"""Pages of the main window and the small widgets they share."""
