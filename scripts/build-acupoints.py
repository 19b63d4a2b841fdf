"""Write resources/acupoints.json: the 361 WHO channel points and common extra points.

Codes and pinyin names are the standard ones (WHO Standard Acupuncture Point Locations); the
body-diagram positions are approximate: a few anchor points per channel were placed by hand on
Frontdesk's own front/back figure (x, y from 0 to 1, for the patient's LEFT side as the view
shows it; the right side is the mirror image) and the points between two anchors are spaced
evenly along the line joining them. The region words are written for this app. Run it again
after changing an anchor: ``python scripts/build-acupoints.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

F, B = "front", "back"

CHANNELS: dict[str, tuple[str, list[str], list[str]]] = {
    # code: (channel name, aliases of the code, pinyin names in order)
    "LU": ("Lung", [], ["Zhōngfǔ", "Yúnmén", "Tiānfǔ", "Xiábái", "Chǐzé", "Kǒngzuì", "Lièquē", "Jīngqú", "Tàiyuān", "Yújì", "Shàoshāng"]),
    "LI": ("Large Intestine", [], ["Shāngyáng", "Èrjiān", "Sānjiān", "Hégǔ", "Yángxī", "Piānlì", "Wēnliū", "Xiàlián", "Shànglián", "Shǒusānlǐ", "Qūchí", "Zhǒuliáo", "Shǒuwǔlǐ", "Bìnào", "Jiānyú", "Jùgǔ", "Tiāndǐng", "Fútū", "Kǒuhéliáo", "Yíngxiāng"]),
    "ST": ("Stomach", [], ["Chéngqì", "Sìbái", "Jùliáo", "Dìcāng", "Dàyíng", "Jiáchē", "Xiàguān", "Tóuwéi", "Rényíng", "Shuǐtū", "Qìshě", "Quēpén", "Qìhù", "Kùfáng", "Wūyì", "Yīngchuāng", "Rǔzhōng", "Rǔgēn", "Bùróng", "Chéngmǎn", "Liángmén", "Guānmén", "Tàiyǐ", "Huáròumén", "Tiānshū", "Wàilíng", "Dàjù", "Shuǐdào", "Guīlái", "Qìchōng", "Bìguān", "Fútù", "Yīnshì", "Liángqiū", "Dúbí", "Zúsānlǐ", "Shàngjùxū", "Tiáokǒu", "Xiàjùxū", "Fēnglóng", "Jiěxī", "Chōngyáng", "Xiàngǔ", "Nèitíng", "Lìduì"]),
    "SP": ("Spleen", [], ["Yǐnbái", "Dàdū", "Tàibái", "Gōngsūn", "Shāngqiū", "Sānyīnjiāo", "Lòugǔ", "Dìjī", "Yīnlíngquán", "Xuèhǎi", "Jīmén", "Chōngmén", "Fǔshě", "Fùjié", "Dàhéng", "Fù'āi", "Shídòu", "Tiānxī", "Xiōngxiāng", "Zhōuróng", "Dàbāo"]),
    "HT": ("Heart", [], ["Jíquán", "Qīnglíng", "Shàohǎi", "Língdào", "Tōnglǐ", "Yīnxì", "Shénmén", "Shàofǔ", "Shàochōng"]),
    "SI": ("Small Intestine", [], ["Shàozé", "Qiángǔ", "Hòuxī", "Wàngǔ", "Yánggǔ", "Yǎnglǎo", "Zhīzhèng", "Xiǎohǎi", "Jiānzhēn", "Nàoshū", "Tiānzōng", "Bǐngfēng", "Qūyuán", "Jiānwàishū", "Jiānzhōngshū", "Tiānchuāng", "Tiānróng", "Quánliáo", "Tīnggōng"]),
    "BL": ("Bladder", ["UB"], ["Jīngmíng", "Cuánzhú", "Méichōng", "Qūchā", "Wǔchù", "Chéngguāng", "Tōngtiān", "Luòquè", "Yùzhěn", "Tiānzhù", "Dàzhù", "Fēngmén", "Fèishū", "Juéyīnshū", "Xīnshū", "Dūshū", "Géshū", "Gānshū", "Dǎnshū", "Píshū", "Wèishū", "Sānjiāoshū", "Shènshū", "Qìhǎishū", "Dàchángshū", "Guānyuánshū", "Xiǎochángshū", "Pángguāngshū", "Zhōnglǚshū", "Báihuánshū", "Shàngliáo", "Cìliáo", "Zhōngliáo", "Xiàliáo", "Huìyáng", "Chéngfú", "Yīnmén", "Fúxì", "Wěiyáng", "Wěizhōng", "Fùfēn", "Pòhù", "Gāohuāng", "Shéntáng", "Yìxǐ", "Géguān", "Húnmén", "Yánggāng", "Yìshè", "Wèicāng", "Huāngmén", "Zhìshì", "Bāohuāng", "Zhìbiān", "Héyáng", "Chéngjīn", "Chéngshān", "Fēiyáng", "Fūyáng", "Kūnlún", "Púcān", "Shēnmài", "Jīnmén", "Jīnggǔ", "Shùgǔ", "Zútōnggǔ", "Zhìyīn"]),
    "KI": ("Kidney", [], ["Yǒngquán", "Rángǔ", "Tàixī", "Dàzhōng", "Shuǐquán", "Zhàohǎi", "Fùliū", "Jiāoxìn", "Zhùbīn", "Yīngǔ", "Hénggǔ", "Dàhè", "Qìxué", "Sìmǎn", "Zhōngzhù", "Huāngshū", "Shāngqū", "Shíguān", "Yīndū", "Fùtōnggǔ", "Yōumén", "Bùláng", "Shénfēng", "Língxū", "Shéncáng", "Yùzhōng", "Shùfǔ"]),
    "PC": ("Pericardium", ["P"], ["Tiānchí", "Tiānquán", "Qūzé", "Xìmén", "Jiānshǐ", "Nèiguān", "Dàlíng", "Láogōng", "Zhōngchōng"]),
    "TE": ("Triple Energizer", ["SJ", "TB", "TW"], ["Guānchōng", "Yèmén", "Zhōngzhǔ", "Yángchí", "Wàiguān", "Zhīgōu", "Huìzōng", "Sānyángluò", "Sìdú", "Tiānjǐng", "Qīnglěngyuān", "Xiāoluò", "Nàohuì", "Jiānliáo", "Tiānliáo", "Tiānyǒu", "Yìfēng", "Chìmài", "Lúxī", "Jiǎosūn", "Ěrmén", "Ěrhéliáo", "Sīzhúkōng"]),
    "GB": ("Gallbladder", [], ["Tóngzǐliáo", "Tīnghuì", "Shàngguān", "Hànyàn", "Xuánlú", "Xuánlí", "Qūbìn", "Shuàigǔ", "Tiānchōng", "Fúbái", "Tóuqiàoyīn", "Wángǔ", "Běnshén", "Yángbái", "Tóulínqì", "Mùchuāng", "Zhèngyíng", "Chénglíng", "Nǎokōng", "Fēngchí", "Jiānjǐng", "Yuānyè", "Zhéjīn", "Rìyuè", "Jīngmén", "Dàimài", "Wǔshū", "Wéidào", "Jūliáo", "Huántiào", "Fēngshì", "Zhōngdú", "Xīyángguān", "Yánglíngquán", "Yángjiāo", "Wàiqiū", "Guāngmíng", "Yángfǔ", "Xuánzhōng", "Qiūxū", "Zúlínqì", "Dìwǔhuì", "Xiáxī", "Zúqiàoyīn"]),
    "LR": ("Liver", ["LV", "LIV"], ["Dàdūn", "Xíngjiān", "Tàichōng", "Zhōngfēng", "Lígōu", "Zhōngdū", "Xīguān", "Qūquán", "Yīnbāo", "Zúwǔlǐ", "Yīnlián", "Jímài", "Zhāngmén", "Qīmén"]),
    "GV": ("Governor Vessel", ["DU"], ["Chángqiáng", "Yāoshù", "Yāoyángguān", "Mìngmén", "Xuánshū", "Jǐzhōng", "Zhōngshū", "Jīnsuō", "Zhìyáng", "Língtái", "Shéndào", "Shēnzhù", "Táodào", "Dàzhuī", "Yǎmén", "Fēngfǔ", "Nǎohù", "Qiángjiān", "Hòudǐng", "Bǎihuì", "Qiándǐng", "Xìnhuì", "Shàngxīng", "Shéntíng", "Sùliáo", "Shuǐgōu", "Duìduān", "Yínjiāo"]),
    "CV": ("Conception Vessel", ["REN"], ["Huìyīn", "Qūgǔ", "Zhōngjí", "Guānyuán", "Shímén", "Qìhǎi", "Yīnjiāo", "Shénquè", "Shuǐfēn", "Xiàwǎn", "Jiànlǐ", "Zhōngwǎn", "Shàngwǎn", "Jùquè", "Jiūwěi", "Zhōngtíng", "Dànzhōng", "Yùtáng", "Zǐgōng", "Huágài", "Xuánjī", "Tiāntū", "Liánquán", "Chéngjiāng"]),
}

T = {n: 0.175 + (n - 1) * 0.0125 for n in range(1, 13)}  # thoracic vertebrae on the back view
L = {1: 0.33, 2: 0.345, 3: 0.36, 4: 0.375, 5: 0.39}
S = {1: 0.41, 2: 0.425, 3: 0.44, 4: 0.455}

ANCHORS: dict[str, list[tuple[int, str, float, float]]] = {
    "LU": [(1, F, .63, .195), (2, F, .635, .18), (3, F, .685, .26), (5, F, .735, .34), (6, F, .75, .40), (7, F, .785, .455), (9, F, .79, .475), (10, F, .80, .50), (11, F, .815, .55)],
    "LI": [(1, B, .19, .55), (4, B, .205, .50), (5, B, .21, .475), (11, B, .255, .34), (12, B, .265, .325), (14, B, .31, .23), (15, B, .335, .185), (16, B, .39, .175), (17, F, .545, .15), (18, F, .54, .14), (19, F, .515, .102), (20, F, .52, .095)],
    "ST": [(1, F, .53, .08), (3, F, .53, .097), (4, F, .525, .108), (5, F, .548, .122), (6, F, .555, .112), (7, F, .56, .092), (8, F, .555, .038), (9, F, .525, .145), (11, F, .525, .165), (12, F, .56, .17), (13, F, .58, .18), (18, F, .58, .272), (19, F, .54, .31), (25, F, .54, .40), (30, F, .54, .485), (31, F, .57, .52), (32, F, .59, .62), (33, F, .595, .68), (34, F, .60, .695), (35, F, .595, .725), (36, F, .605, .755), (39, F, .605, .86), (40, F, .618, .83), (41, F, .59, .93), (42, F, .59, .95), (45, F, .585, .99)],
    "SP": [(1, F, .56, .99), (5, F, .56, .935), (6, F, .56, .87), (9, F, .555, .745), (10, F, .56, .68), (11, F, .555, .58), (12, F, .55, .48), (13, F, .55, .46), (15, F, .56, .40), (16, F, .56, .335), (17, F, .60, .29), (20, F, .605, .215), (21, F, .63, .29)],
    "HT": [(1, F, .645, .22), (2, F, .68, .30), (3, F, .70, .34), (4, F, .745, .445), (7, F, .752, .47), (8, F, .765, .51), (9, F, .77, .565)],
    "SI": [(1, B, .255, .565), (6, B, .246, .46), (7, B, .26, .40), (8, B, .28, .34), (9, B, .345, .22), (10, B, .35, .195), (11, B, .41, .23), (12, B, .41, .195), (13, B, .44, .195), (14, B, .455, .18), (15, B, .465, .17), (16, F, .55, .14), (17, F, .555, .12), (18, F, .545, .095), (19, F, .565, .085)],
    "BL": [(1, F, .513, .075), (2, F, .52, .065), (3, F, .515, .035), (4, F, .52, .035), (5, B, .485, .018), (8, B, .485, .045), (9, B, .485, .085), (10, B, .485, .125)]
    + [(11 + i, B, .47, y) for i, y in enumerate([T[1], T[2], T[3], T[4], T[5], T[6], T[7], T[9], T[10], T[11], T[12], L[1], L[2], L[3], L[4], L[5], S[1], S[2], S[3], S[4]])]
    + [(31, B, .485, S[1]), (34, B, .485, S[4]), (35, B, .49, .48), (36, B, .44, .535), (37, B, .44, .62), (38, B, .42, .705), (39, B, .42, .72), (40, B, .44, .72)]
    + [(41 + i, B, .44, y) for i, y in enumerate([T[2], T[3], T[4], T[5], T[6], T[7], T[9], T[10], T[11], T[12], L[1], L[2]])]
    + [(53, B, .445, S[2]), (54, B, .445, S[4]), (55, B, .44, .76), (57, B, .44, .84), (58, B, .425, .87), (59, B, .425, .90), (60, B, .415, .935), (61, B, .42, .965), (62, B, .41, .95), (67, B, .394, .992)],
    "KI": [(1, B, .45, .985), (2, F, .56, .96), (3, F, .57, .93), (4, F, .57, .945), (5, F, .565, .955), (6, F, .56, .945), (7, F, .565, .88), (8, F, .56, .88), (9, F, .565, .82), (10, F, .555, .72), (11, F, .515, .485), (21, F, .515, .34), (22, F, .54, .30), (27, F, .54, .175)],
    "PC": [(1, F, .595, .255), (2, F, .66, .25), (3, F, .715, .34), (4, F, .765, .405), (5, F, .768, .445), (7, F, .772, .47), (8, F, .778, .51), (9, F, .785, .575)],
    "TE": [(1, B, .235, .565), (4, B, .232, .47), (5, B, .24, .445), (6, B, .242, .43), (7, B, .247, .43), (8, B, .245, .41), (9, B, .25, .38), (10, B, .27, .325), (11, B, .27, .31), (12, B, .285, .27), (13, B, .305, .225), (14, B, .335, .19), (15, B, .40, .18), (16, B, .45, .125), (17, B, .435, .10), (20, B, .435, .065), (21, F, .562, .08), (22, F, .558, .075), (23, F, .55, .065)],
    "GB": [(1, F, .55, .075), (2, F, .565, .09), (3, F, .56, .072), (4, F, .558, .05), (7, F, .565, .065), (8, B, .435, .06), (9, B, .44, .055), (12, B, .445, .105), (13, F, .54, .035), (14, F, .53, .06), (15, F, .53, .035), (16, F, .53, .025), (17, B, .47, .02), (19, B, .47, .085), (20, B, .47, .11), (21, B, .40, .175), (22, F, .64, .25), (23, F, .63, .26), (24, F, .59, .29), (25, F, .64, .345), (26, F, .64, .38), (27, F, .615, .43), (28, F, .605, .44), (29, F, .63, .48), (30, B, .42, .50), (31, F, .63, .60), (32, F, .63, .64), (33, F, .625, .70), (34, F, .62, .75), (35, F, .62, .85), (36, F, .626, .855), (39, F, .62, .90), (40, F, .615, .935), (41, F, .61, .96), (44, F, .615, .99)],
    "LR": [(1, F, .57, .99), (3, F, .575, .965), (4, F, .565, .94), (5, F, .56, .85), (6, F, .56, .82), (7, F, .55, .74), (8, F, .552, .72), (9, F, .55, .65), (10, F, .545, .545), (12, F, .54, .495), (13, F, .64, .36), (14, F, .58, .30)],
    "GV": [(1, B, .5, .485), (2, B, .5, .465), (3, B, .5, L[4]), (4, B, .5, L[2]), (5, B, .5, L[1]), (6, B, .5, T[11]), (7, B, .5, T[10]), (8, B, .5, T[9]), (9, B, .5, T[7]), (10, B, .5, T[6]), (11, B, .5, T[5]), (12, B, .5, T[3]), (13, B, .5, T[1]), (14, B, .5, .165), (15, B, .5, .12), (16, B, .5, .105), (20, B, .5, .015), (21, F, .5, .02), (24, F, .5, .04), (25, F, .5, .095), (26, F, .5, .102), (28, F, .5, .108)],
    "CV": [(1, F, .5, .505), (2, F, .5, .49), (8, F, .5, .40), (16, F, .5, .33), (17, F, .5, .255), (21, F, .5, .18), (22, F, .5, .16), (23, F, .5, .14), (24, F, .5, .125)],
}

EXTRA: list[tuple[str, str, str, str, float, float]] = [
    # code, pinyin, aliases (space separated), view, x, y
    ("EX-HN1", "Sìshéncōng", "", B, .5, .02),
    ("EX-HN3", "Yìntáng", "GV29", F, .5, .065),
    ("EX-HN4", "Yúyāo", "", F, .53, .065),
    ("EX-HN5", "Tàiyáng", "", F, .558, .07),
    ("EX-HN7", "Qiúhòu", "", F, .54, .083),
    ("EX-HN14", "Yìmíng", "", B, .44, .105),
    ("EX-B1", "Dìngchuǎn", "", B, .48, .165),
    ("EX-B2", "Jiájǐ", "Huatuojiaji", B, .485, .26),
    ("EX-B7", "Yāoyǎn", "", B, .44, .375),
    ("EX-B8", "Shíqīzhuī", "", B, .5, .39),
    ("EX-CA1", "Zǐgōng", "", F, .53, .47),
    ("EX-UE7", "Yāotòngdiǎn", "", B, .215, .50),
    ("EX-UE8", "Wàiláogōng", "Luozhen", B, .225, .505),
    ("EX-UE9", "Bāxié", "", B, .22, .54),
    ("EX-UE11", "Shíxuān", "", F, .79, .575),
    ("EX-LE2", "Hèdǐng", "", F, .585, .70),
    ("EX-LE4", "Nèixīyǎn", "", F, .575, .73),
    ("EX-LE6", "Dǎnnáng", "", F, .615, .78),
    ("EX-LE7", "Lánwěi", "", F, .605, .80),
    ("EX-LE10", "Bāfēng", "", F, .59, .98),
]
MIDLINE_EXTRAS = {"EX-HN1", "EX-HN3", "EX-B8"}

ENGLISH = {
    "LU7": "Broken Sequence", "LU9": "Great Abyss", "LU5": "Cubit Marsh",
    "LI4": "Union Valley", "LI10": "Arm Three Miles", "LI11": "Pool at the Crook",
    "LI15": "Shoulder Bone", "LI20": "Welcome Fragrance",
    "ST6": "Jaw Bone", "ST25": "Heaven's Pivot", "ST36": "Leg Three Miles",
    "ST40": "Abundant Bulge", "ST44": "Inner Courtyard",
    "SP6": "Three Yin Intersection", "SP9": "Yin Mound Spring", "SP10": "Sea of Blood",
    "HT7": "Spirit Gate", "SI3": "Back Ravine", "SI11": "Heavenly Gathering",
    "BL2": "Gathered Bamboo", "BL10": "Celestial Pillar", "BL17": "Diaphragm Shu",
    "BL18": "Liver Shu", "BL20": "Spleen Shu", "BL23": "Kidney Shu",
    "BL25": "Large Intestine Shu", "BL40": "Middle of the Crook", "BL57": "Support the Mountain",
    "BL60": "Kunlun Mountains", "BL62": "Extending Vessel",
    "KI1": "Gushing Spring", "KI3": "Great Ravine", "KI6": "Shining Sea",
    "PC6": "Inner Pass", "PC7": "Great Mound", "TE5": "Outer Pass", "TE14": "Shoulder Crevice",
    "GB20": "Wind Pool", "GB21": "Shoulder Well", "GB30": "Jumping Circle",
    "GB34": "Yang Mound Spring", "GB39": "Suspended Bell", "GB41": "Foot Governor of Tears",
    "LR3": "Great Surge", "LR14": "Cycle Gate",
    "GV4": "Gate of Life", "GV14": "Great Vertebra", "GV20": "Hundred Meetings",
    "CV4": "Gate of Origin", "CV6": "Sea of Qi", "CV12": "Middle Cavity", "CV17": "Chest Centre",
    "EX-HN3": "Hall of Impression", "EX-HN5": "Greater Yang", "EX-B2": "Huatuo's Paravertebral Points",
}


def _positions(anchors: list[tuple[int, str, float, float]], count: int) -> dict[int, tuple[str, float, float]]:
    out: dict[int, tuple[str, float, float]] = {}
    for (n0, v0, x0, y0), (n1, v1, x1, y1) in zip(anchors, anchors[1:], strict=False):
        for n in range(n0, n1):
            if v0 != v1:  # a change of view falls on an anchor; the rest follow the first one
                out[n] = (v0, x0, y0)
                continue
            t = (n - n0) / (n1 - n0)
            out[n] = (v0, round(x0 + (x1 - x0) * t, 4), round(y0 + (y1 - y0) * t, 4))
    last = anchors[-1]
    out[last[0]] = (last[1], last[2], last[3])
    assert sorted(out) == list(range(1, count + 1)), (anchors[0], count, sorted(out))
    return out


def region(view: str, x: float, y: float) -> str:
    """Where on the body, in words a practitioner reads at a glance."""
    dx = abs(x - 0.5)
    if dx > 0.165 and 0.17 < y < 0.6:
        for limit, word in ((0.31, "upper arm"), (0.35, "elbow"), (0.455, "forearm"), (0.485, "wrist"), (0.535, "hand")):
            if y < limit:
                return word
        return "finger"
    front = view == F
    for limit, word in (
        (0.045, "scalp"),
        (0.14, "face" if front else "head"),
        (0.168, "neck"),
        (0.2, "shoulder" if dx > 0.09 else ("chest" if front else "upper back")),
        (0.33, "chest" if front else "upper back"),
        (0.48, "abdomen" if front else "lower back"),
        (0.53, "groin" if front else "buttock"),
        (0.7, "thigh"),
        (0.75, "knee"),
        (0.92, "lower leg"),
        (0.95, "ankle"),
    ):
        if y < limit:
            return word
    return "foot"


def main() -> None:
    points = []
    for code, (channel, aliases, names) in CHANNELS.items():
        positions = _positions(ANCHORS[code], len(names))
        for n, pinyin in enumerate(names, start=1):
            view, x, y = positions[n]
            point = {
                "code": f"{code}{n}",
                "pinyin": pinyin,
                "english": ENGLISH.get(f"{code}{n}", ""),
                "channel": channel,
                "aliases": [f"{a}{n}" for a in aliases],
                "midline": code in ("GV", "CV"),
                "view": view,
                "x": x,
                "y": y,
                "region": region(view, x, y),
            }
            points.append(point)
    for code, pinyin, aliases, view, x, y in EXTRA:
        points.append(
            {
                "code": code,
                "pinyin": pinyin,
                "english": ENGLISH.get(code, ""),
                "channel": "Extra point",
                "aliases": aliases.split(),
                "midline": code in MIDLINE_EXTRAS,
                "view": view,
                "x": x,
                "y": y,
                "region": region(view, x, y),
            }
        )
    assert sum(1 for p in points if p["channel"] != "Extra point") == 361
    out = Path(__file__).resolve().parent.parent / "resources" / "acupoints.json"
    document = {
        "about": (
            "Acupuncture points: the 361 WHO standard channel points and common extra points. "
            "Codes and pinyin names are standard; view/x/y place each point on Frontdesk's "
            "body diagram (0 to 1 across and down the figure, for the patient's left side; "
            "the right side is mirrored) and are approximate. Made by "
            "scripts/build-acupoints.py; a clinic may add points here."
        ),
        "points": points,
    }
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(points)} points written to {out}")


if __name__ == "__main__":
    main()
