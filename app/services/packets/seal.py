"""The packet seal: an HMAC over what the district issued and the office must not change.

Key: HMAC-SHA256(plan secret, "taizhang-packet-key:" + packet id); the plan secret never
leaves the district database. Message: canonical JSON of the manifest identity (packet
id, plan uid, unit, period, kind) and every row's key and fixed content, in order.

Direction, revision and the input values are *not* sealed, so the office app copies the
issued seal into its return packet (it cannot compute one) and a packet filled by hand in
Excel/WPS keeps a valid seal. A changed fixed cell is caught by the reader comparing the
cells with the manifest's copy; a changed manifest copy is caught here.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from typing import Any

from app.services.packets.format import Manifest, PacketRow


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode("utf-8")


@functools.lru_cache(maxsize=65536)
def _short_key_json(key: str) -> bytes:
    return canonical(key)


def _key_json(key: str) -> bytes:
    """A row key's canonical JSON, remembered for keys of the issued form ("T:" + a uid):
    the same keys recur in every unit's packet of a plan (encoding them was half of
    sealing a batch). A longer text (a hostile file's key) is encoded, not kept."""
    return _short_key_json(key) if type(key) is str and len(key) <= 64 else canonical(key)


def fixed_hash(fixed: dict[str, Any]) -> str:
    """Short digest of one row's fixed content (stored per row in the manifest)."""
    return hash_of_canonical(canonical(fixed))


def hash_of_canonical(data: bytes) -> str:
    """`fixed_hash` of content already in canonical form (saves encoding it twice)."""
    return hashlib.sha256(data).hexdigest()[:16]


def packet_key(secret: str, packet_id: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), b"taizhang-packet-key:" + packet_id.encode("utf-8"),
                    hashlib.sha256).digest()


def seal_message(manifest: Manifest, rows: Iterable[PacketRow],
                 fixed_json: Sequence[bytes] | None = None) -> bytes:
    """canonical({"packet", "plan", "unit", "period", "kind", "rows": [[key, fixed], …]}),
    assembled from each row's canonical fixed content (`fixed_json`, when the caller has
    it already: the writer stores the same bytes in the manifest) — byte for byte what
    encoding the whole dict would give (its keys sort as written here)."""
    rows = list(rows)
    parts = fixed_json if fixed_json is not None else [canonical(r.fixed) for r in rows]
    body = b",".join(b"[" + _key_json(r.key) + b"," + f + b"]" for r, f in zip(rows, parts,
                                                                             strict=True))
    return (b'{"kind":' + canonical(manifest.kind) + b',"packet":' + canonical(manifest.packet_id)
            + b',"period":' + canonical(manifest.period) + b',"plan":'
            + canonical(manifest.plan.uid) + b',"rows":[' + body + b'],"unit":'
            + canonical(manifest.unit) + b"}")


def compute_seal(secret: str, manifest: Manifest, rows: Iterable[PacketRow],
                 fixed_json: Sequence[bytes] | None = None) -> str:
    return hmac.new(packet_key(secret, manifest.packet_id),
                    seal_message(manifest, rows, fixed_json), hashlib.sha256).hexdigest()


def verify_seal(secret: str, manifest: Manifest, rows: Iterable[PacketRow]) -> bool:
    """True when the packet's identity and fixed content are what the district issued.

    `rows` are the rows as read from the manifest (``PacketFile.rows``: their ``fixed``
    is the manifest's copy, not the possibly edited cells).
    """
    if not manifest.seal:
        return False
    rows = list(rows)
    # the reader keeps each row's manifest text where it is the canonical encoding
    parts = [r.fixed_json if r.fixed_json is not None else canonical(r.fixed) for r in rows]
    return hmac.compare_digest(compute_seal(secret, manifest, rows, parts), manifest.seal)
