"""The TPC-H word lists: those substitution parameters are drawn from (spec clause 4.2.2.13 and
4.2.3), and those of the pseudo text grammar that refresh-set comments are made of (4.2.2.13's
Nouns to Terminators, used by the grammar of 4.2.2.14; dbgen's versions of them, see below).

They live apart from the drawing rules so that ``parameters`` reads as the rules of
clause 2.4 and nothing else, and ``text`` as the grammar. The data generator uses the same
lists, which is why a drawn value always selects rows that exist.
"""

from __future__ import annotations

REGIONS: tuple[str, ...] = ("AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST")
"""R_NAME by R_REGIONKEY."""

NATIONS: tuple[tuple[str, str], ...] = (
    ("ALGERIA", "AFRICA"),
    ("ARGENTINA", "AMERICA"),
    ("BRAZIL", "AMERICA"),
    ("CANADA", "AMERICA"),
    ("EGYPT", "MIDDLE EAST"),
    ("ETHIOPIA", "AFRICA"),
    ("FRANCE", "EUROPE"),
    ("GERMANY", "EUROPE"),
    ("INDIA", "ASIA"),
    ("INDONESIA", "ASIA"),
    ("IRAN", "MIDDLE EAST"),
    ("IRAQ", "MIDDLE EAST"),
    ("JAPAN", "ASIA"),
    ("JORDAN", "MIDDLE EAST"),
    ("KENYA", "AFRICA"),
    ("MOROCCO", "AFRICA"),
    ("MOZAMBIQUE", "AFRICA"),
    ("PERU", "AMERICA"),
    ("CHINA", "ASIA"),
    ("ROMANIA", "EUROPE"),
    ("SAUDI ARABIA", "MIDDLE EAST"),
    ("VIETNAM", "ASIA"),
    ("RUSSIA", "EUROPE"),
    ("UNITED KINGDOM", "EUROPE"),
    ("UNITED STATES", "AMERICA"),
)
"""(N_NAME, the R_NAME of its region) by N_NATIONKEY."""

NATION_NAMES: tuple[str, ...] = tuple(name for name, _ in NATIONS)

SEGMENTS: tuple[str, ...] = ("AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD")
"""C_MKTSEGMENT values."""

TYPE_SYLLABLE_1: tuple[str, ...] = ("STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO")
TYPE_SYLLABLE_2: tuple[str, ...] = ("ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED")
TYPE_SYLLABLE_3: tuple[str, ...] = ("TIN", "NICKEL", "BRASS", "STEEL", "COPPER")
"""P_TYPE is one word from each of the three syllable lists."""

CONTAINER_SYLLABLE_1: tuple[str, ...] = ("SM", "LG", "MED", "JUMBO", "WRAP")
CONTAINER_SYLLABLE_2: tuple[str, ...] = ("CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM")
"""P_CONTAINER is one word from each of the two syllable lists."""

SHIP_MODES: tuple[str, ...] = ("REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB")
"""L_SHIPMODE values."""

COLORS: tuple[str, ...] = (
    "almond", "antique", "aquamarine", "azure", "beige", "bisque", "black", "blanched",
    "blue", "blush", "brown", "burlywood", "burnished", "chartreuse", "chiffon", "chocolate",
    "coral", "cornflower", "cornsilk", "cream", "cyan", "dark", "deep", "dim",
    "dodger", "drab", "firebrick", "floral", "forest", "frosted", "gainsboro", "ghost",
    "goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki",
    "lace", "lavender", "lawn", "lemon", "light", "lime", "linen", "magenta",
    "maroon", "medium", "metallic", "midnight", "mint", "misty", "moccasin", "navajo",
    "navy", "olive", "orange", "orchid", "pale", "papaya", "peach", "peru",
    "pink", "plum", "powder", "puff", "purple", "red", "rose", "rosy",
    "royal", "saddle", "salmon", "sandy", "seashell", "sienna", "sky", "slate",
    "smoke", "snow", "spring", "steel", "tan", "thistle", "tomato", "turquoise",
    "violet", "wheat", "white", "yellow",
)  # fmt: skip
"""The 92 words P_NAME is built from."""

Q13_WORD1: tuple[str, ...] = ("special", "pending", "unusual", "express")
Q13_WORD2: tuple[str, ...] = ("packages", "requests", "accounts", "deposits")
"""The two word lists of Q13's comment pattern."""

COUNTRY_CODES: range = range(10, 35)
"""The two-digit prefixes of C_PHONE: nation key + 10."""


# The pseudo text of comments (clause 4.2.2.10: a text string[min, max] is a substring of text
# made by the grammar of clause 4.2.2.14, whose word lists follow). They are dbgen's lists
# (``dists.dss``), which the base data's comments are made of, not quite the ones clause 4.2.2.13
# prints: dbgen's nouns add packages, requests, accounts and deposits, and its adjectives add
# special, pending, unusual and express (the words Q13's WORD2 and WORD1 are drawn from, clause
# 2.4.13.3, so that refresh-set comments match Q13's pattern as the base data's do); its
# "Tiresias" is printed "Tiresias'" in the clause. One preposition keeps the clause's spelling,
# "without", where dbgen has "whithout".

NOUNS: tuple[str, ...] = (
    "foxes", "ideas", "theodolites", "pinto beans", "instructions", "dependencies", "excuses",
    "platelets", "asymptotes", "courts", "dolphins", "multipliers", "sauternes", "warthogs", "frets",
    "dinos", "attainments", "somas", "Tiresias", "patterns", "forges", "braids", "hockey players",
    "frays", "warhorses", "dugouts", "notornis", "epitaphs", "pearls", "tithes", "waters", "orbits",
    "gifts", "sheaves", "depths", "sentiments", "decoys", "realms", "pains", "grouches", "escapades",
    "packages", "requests", "accounts", "deposits",
)  # fmt: skip
VERBS: tuple[str, ...] = (
    "sleep", "wake", "are", "cajole", "haggle", "nag", "use", "boost", "affix", "detect", "integrate",
    "maintain", "nod", "was", "lose", "sublate", "solve", "thrash", "promise", "engage", "hinder",
    "print", "x-ray", "breach", "eat", "grow", "impress", "mold", "poach", "serve", "run", "dazzle",
    "snooze", "doze", "unwind", "kindle", "play", "hang", "believe", "doubt",
)  # fmt: skip
ADJECTIVES: tuple[str, ...] = (
    "furious", "sly", "careful", "blithe", "quick", "fluffy", "slow", "quiet", "ruthless", "thin",
    "close", "dogged", "daring", "brave", "stealthy", "permanent", "enticing", "idle", "busy",
    "regular", "final", "ironic", "even", "bold", "silent", "special", "pending", "unusual", "express",
)  # fmt: skip
ADVERBS: tuple[str, ...] = (
    "sometimes", "always", "never", "furiously", "slyly", "carefully", "blithely", "quickly",
    "fluffily", "slowly", "quietly", "ruthlessly", "thinly", "closely", "doggedly", "daringly",
    "bravely", "stealthily", "permanently", "enticingly", "idly", "busily", "regularly", "finally",
    "ironically", "evenly", "boldly", "silently",
)  # fmt: skip
PREPOSITIONS: tuple[str, ...] = (
    "about", "above", "according to", "across", "after", "against", "along", "alongside of",
    "among", "around", "at", "atop", "before", "behind", "beneath", "beside", "besides", "between",
    "beyond", "by", "despite", "during", "except", "for", "from", "in place of", "inside",
    "instead of", "into", "near", "of", "on", "outside", "over", "past", "since", "through",
    "throughout", "to", "toward", "under", "until", "up", "upon", "without", "with", "within",
)  # fmt: skip
AUXILIARIES: tuple[str, ...] = (
    "do", "may", "might", "shall", "will", "would", "can", "could", "should", "ought to", "must",
    "will have to", "shall have to", "could have to", "should have to", "must have to", "need to",
    "try to",
)  # fmt: skip
TERMINATORS: tuple[str, ...] = (".", ";", ":", "?", "!", "--")
"""The grammar's word lists: a sentence is a noun phrase, a verb phrase, perhaps a prepositional
phrase or a second noun phrase, and a terminator written right after the last word."""
