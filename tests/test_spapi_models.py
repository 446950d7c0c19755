"""The copy of Amazon's SP-API models is complete and unchanged."""

import hashlib

from tests.sandbox.contract import MODEL_FILES, MODELS_DIR


def _checksums():
    sums = {}
    for line in (MODELS_DIR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.lstrip("*")] = digest
    return sums


def test_every_model_matches_amazons_checksum():
    sums = _checksums()
    assert sums, "SHA256SUMS lists no file"
    for name, digest in sums.items():
        data = (MODELS_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{name} was changed"


def test_every_model_the_sandbox_serves_is_in_the_copy():
    sums = _checksums()
    missing = sorted(set(MODEL_FILES.values()) - set(sums))
    assert not missing, f"not in SHA256SUMS: {missing}"


def test_the_copy_carries_its_license():
    text = (MODELS_DIR / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0" in text
