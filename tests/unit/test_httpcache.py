"""webapp/httpcache.py: the entity tag of an answer's bytes."""
from webapp.httpcache import strong_etag

# SHA-256("abc") from FIPS 180-2's test vectors, its first 128 bits.
ABC = '"ba7816bf8f01cfea414140de5dae2223"'


def test_the_tag_is_a_quoted_hash_of_the_bytes():
    assert strong_etag(b"abc") == ABC
    assert strong_etag(b"abd") != ABC
