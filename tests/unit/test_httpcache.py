"""webapp/httpcache.py: entity tags of answers, and If-None-Match read with RFC 9110's weak comparison."""
import pytest

from webapp.httpcache import listed_tags, none_match, strong_etag

# SHA-256("abc") from FIPS 180-2's test vectors, its first 128 bits.
ABC = '"ba7816bf8f01cfea414140de5dae2223"'


def test_the_tag_is_a_quoted_hash_of_the_bytes():
    assert strong_etag(b"abc") == ABC
    assert strong_etag(b"abd") != ABC


def test_a_coded_copy_carries_the_same_hash_and_its_coding():
    assert strong_etag(b"abc", "gzip") == ABC[:-1] + '-gzip"'
    assert strong_etag(b"abc", "br") == ABC[:-1] + '-br"'


@pytest.mark.parametrize("header, tags", [
    ('"xyzzy"', ['"xyzzy"']),
    ('"xyzzy", "r2d2xxxx", "c3piozzzz"', ['"xyzzy"', '"r2d2xxxx"', '"c3piozzzz"']),  # RFC 9110's examples
    ('W/"xyzzy", W/"r2d2xxxx"', ['"xyzzy"', '"r2d2xxxx"']),
    ("*", ["*"]),
    ('"a,b" ,W/"c"', ['"a,b"', '"c"']),  # a comma inside a tag is part of it
    ("xyzzy", []),  # unquoted: not an entity tag
    ('"open', []),
    ("", []),
])
def test_listed_tags(header, tags):
    assert listed_tags(header) == tags


@pytest.mark.parametrize("header, matches", [
    (ABC, True),
    ("W/" + ABC, True),
    ('"other", ' + ABC, True),
    (ABC[:-1] + '-gzip"', True),  # a cache holding the gzip copy revalidates the same answer
    ("W/" + ABC[:-1] + '-br"', True),
    ("*", True),
    ('"other"', False),
    (ABC[:-2] + '"', False),  # a prefix of the hash is another tag
    (None, False),
    ("", False),
])
def test_none_match(header, matches):
    assert none_match(header, b"abc") is matches
