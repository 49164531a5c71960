"""ospfpkt — the OSPFv2 checksums and authentication digests, for the Python tools
under scripts/ (stdlib only). The tools run as scripts and import it with

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "lab"))
    import ospfpkt

(one level deeper, "lab" becomes os.pardir, "lab").

  * fletcher_ok(lsa), fletcher_fill(lsa): the LSA checksum, the Fletcher checksum of
    RFC 905 annex B over the whole LSA but LS age (RFC 2328 12.1.7);
  * inet_checksum(buf), inet_checksum_ok(buf): the IP (one's complement) checksum, used
    for IPv4 headers and for the OSPF packet checksum (RFC 2328 D.4.2, computed over the
    packet without the 64-bit authentication field);
  * crypto_digest(pkt, secret, length): the trailer of cryptographic authentication,
    keyed MD5 (RFC 2328 D.4.3) for 16 bytes, HMAC-SHA-1/256/384/512 with Apad (RFC 5709)
    for 20, 32, 48 and 64 bytes.
"""
import hashlib
import hmac
import struct

HMAC_BY_LEN = {20: hashlib.sha1, 32: hashlib.sha256, 48: hashlib.sha384, 64: hashlib.sha512}
APAD = bytes.fromhex("878FE1F3")  # RFC 5709 3.3: 0x878FE1F3 repeated to the hash length

_CHECKSUM = slice(16, 18)  # the LS checksum in the 20-byte LSA header


def _fletcher_sums(data):
    c0 = c1 = 0
    for b in data:
        c0 = (c0 + b) % 255
        c1 = (c1 + c0) % 255
    return c0, c1


def fletcher_ok(lsa):
    """True if the LSA's checksum verifies; a checksum of 0 never does (RFC 2328 12.1.7)."""
    c0, c1 = _fletcher_sums(lsa[2:])
    return c0 == 0 and c1 == 0 and lsa[_CHECKSUM] != b"\0\0"


def fletcher_fill(lsa):
    """The LSA with its checksum field computed (RFC 905 annex B, checksum at octet 15 of
    the data from LS options on)."""
    b = bytearray(lsa)
    b[_CHECKSUM] = b"\0\0"
    c0, c1 = _fletcher_sums(b[2:])
    x = ((len(b) - 2 - 15) * c0 - c1) % 255 or 255
    y = 510 - c0 - x
    y = y - 255 if y > 255 else y
    b[16], b[17] = x, y
    return bytes(b)


def inet_checksum(buf):
    """The 16-bit one's complement of the one's complement sum of buf (zero-padded)."""
    if len(buf) % 2:
        buf += b"\0"
    s = sum(struct.unpack("!%dH" % (len(buf) // 2), buf))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def inet_checksum_ok(buf):
    """True if buf, checksum field included, sums to 0xFFFF."""
    return inet_checksum(buf) == 0


def crypto_digest(pkt, secret, length):
    """The authentication trailer of `length` bytes for the OSPF packet `pkt` (its
    checksum and authentication fields as sent) under `secret` (bytes), or None for a
    length no algorithm has."""
    if length == 16:
        return hashlib.md5(pkt + secret[:16].ljust(16, b"\0")).digest()
    h = HMAC_BY_LEN.get(length)
    if h is None:
        return None
    key = h(secret).digest() if len(secret) > length else secret
    return hmac.new(key, pkt + (APAD * 16)[:length], h).digest()
