"""The demo accounts, one per role, all with the demo password ``park-demo``.

The hashes use the argon2 parameters of the settings in force (argon2-cffi's defaults unless changed),
with a salt derived from the seed and the username, so the same seed always writes the same rows; they
verify like any hash the application makes.
"""

from __future__ import annotations

import hashlib

from argon2.low_level import hash_secret

from models.enums import Role

DEMO_PASSWORD = "park-demo"

DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("admin", "系统管理员", Role.admin),
    ("committee", "管委会委员 王建国", Role.committee),
    ("finance", "金融联络员 李晓梅", Role.finance),
    ("staff", "安监办 张伟", Role.staff),
)


def demo_password_hash(username: str, seed: int) -> str:
    """An argon2id hash of the demo password with a salt fixed by (seed, username), with the parameters of the
    settings in force (``services/users.password_hasher``)."""
    from dashboard.services.users import password_hasher

    hasher = password_hasher()
    salt = hashlib.sha256(f"park-safety demo {seed} {username}".encode()).digest()[: hasher.salt_len]
    return hash_secret(
        DEMO_PASSWORD.encode(), salt, time_cost=hasher.time_cost, memory_cost=hasher.memory_cost,
        parallelism=hasher.parallelism, hash_len=hasher.hash_len, type=hasher.type,
    ).decode("ascii")


def demo_user_rows(seed: int) -> list[tuple[str, str, str, str, bool]]:
    """(username, display_name, role, password_hash, active) for each demo account."""
    return [(username, display_name, role.value, demo_password_hash(username, seed), True)
            for username, display_name, role in DEMO_USERS]
