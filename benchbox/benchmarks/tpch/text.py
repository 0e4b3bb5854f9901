"""TPC-H's pseudo text (clause 4.2.2.10): what the comments of refresh-set rows are made of.

A ``text string[min, max]`` is a substring, of a random length from ``min`` to ``max`` and at
a random offset, of text produced by the grammar of clause 4.2.2.14:

    sentence:             noun-phrase verb-phrase terminator
                        | noun-phrase verb-phrase prepositional-phrase terminator
                        | noun-phrase verb-phrase noun-phrase terminator
                        | noun-phrase prepositional-phrase verb-phrase noun-phrase terminator
                        | noun-phrase prepositional-phrase verb-phrase prepositional-phrase terminator
    noun-phrase:          noun | adjective noun | adjective, adjective noun | adverb adjective noun
    verb-phrase:          verb | auxiliary verb | verb adverb | auxiliary verb adverb
    prepositional-phrase: preposition "the" noun-phrase

with the word lists of ``vocabulary`` (dbgen's: see there). The prepositional phrase ends in a
whole noun phrase, adjectives and all ("about the quick ideas"), in the clause and in dbgen's
``text.c`` (its ``P`` token writes the preposition, " the ", then a noun phrase). The spec
cuts every text string from one 300 MB text, and its grammar relies on weighted word lists
(clause 4.2.2.15: dbgen's "regular" is fifty times as common as its "furious"); benchbox
draws the text for each comment, every production and word with equal chance. So the words,
sentence shapes and lengths are the spec's, the word frequencies are not the base data's.
"""

from __future__ import annotations

import random

from benchbox.benchmarks.tpch import vocabulary as v


def text_string(rng: random.Random, shortest: int, longest: int) -> str:
    """A text string[shortest, longest]: a substring of grammar text, cut anywhere (mid-word too,
    as the base data's comments are)."""
    length = rng.randint(shortest, longest)
    text = ""
    while len(text) < 2 * length:
        text += _sentence(rng) + " "
    start = rng.randint(0, len(text) - length)
    return text[start : start + length]


def _sentence(rng: random.Random) -> str:
    shape = rng.randrange(5)
    if shape == 0:
        words = [_noun_phrase(rng), _verb_phrase(rng)]
    elif shape == 1:
        words = [_noun_phrase(rng), _verb_phrase(rng), _prepositional_phrase(rng)]
    elif shape == 2:
        words = [_noun_phrase(rng), _verb_phrase(rng), _noun_phrase(rng)]
    elif shape == 3:
        words = [_noun_phrase(rng), _prepositional_phrase(rng), _verb_phrase(rng), _noun_phrase(rng)]
    else:
        words = [_noun_phrase(rng), _prepositional_phrase(rng), _verb_phrase(rng), _prepositional_phrase(rng)]
    return " ".join(words) + rng.choice(v.TERMINATORS)


def _noun_phrase(rng: random.Random) -> str:
    noun = rng.choice(v.NOUNS)
    shape = rng.randrange(4)
    if shape == 0:
        return noun
    if shape == 1:
        return f"{rng.choice(v.ADJECTIVES)} {noun}"
    if shape == 2:
        return f"{rng.choice(v.ADJECTIVES)}, {rng.choice(v.ADJECTIVES)} {noun}"
    return f"{rng.choice(v.ADVERBS)} {rng.choice(v.ADJECTIVES)} {noun}"


def _verb_phrase(rng: random.Random) -> str:
    verb = rng.choice(v.VERBS)
    shape = rng.randrange(4)
    if shape == 0:
        return verb
    if shape == 1:
        return f"{rng.choice(v.AUXILIARIES)} {verb}"
    if shape == 2:
        return f"{verb} {rng.choice(v.ADVERBS)}"
    return f"{rng.choice(v.AUXILIARIES)} {verb} {rng.choice(v.ADVERBS)}"


def _prepositional_phrase(rng: random.Random) -> str:
    return f"{rng.choice(v.PREPOSITIONS)} the {_noun_phrase(rng)}"
