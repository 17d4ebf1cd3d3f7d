"""Our own Base58Check and bech32 implementations against published vectors."""

from __future__ import annotations

import random

import pytest

from threadline.synth import wallets


@pytest.mark.parametrize(
    "address",
    [
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",  # the genesis block address
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",  # BIP-13 style P2SH
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",  # BIP-173 vector
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    ],
)
def test_known_valid_btc(address: str) -> None:
    assert wallets.valid_btc(address)


@pytest.mark.parametrize(
    "address",
    [
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",  # last character changed
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
        "bc1qw508d6qejxtdg4y5r3zarvaRy0c5xw7kv8f3t4",  # mixed case
        "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",  # testnet prefix
        "0A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",  # not base58
        "",
    ],
)
def test_known_invalid_btc(address: str) -> None:
    assert not wallets.valid_btc(address)


def test_tron_usdt_contract_address_is_valid() -> None:
    assert wallets.valid_tron("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    assert not wallets.valid_tron("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u")
    assert not wallets.valid_tron("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")


def test_encoders_reproduce_vectors() -> None:
    program = bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6")
    assert (
        wallets.bech32_segwit_encode("bc", 0, program)
        == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    )
    assert wallets.b58check_encode(0, program) == "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"


def test_random_addresses_validate_and_differ() -> None:
    rng = random.Random(0)
    btc = [wallets.random_btc(rng) for _ in range(300)]
    tron = [wallets.random_tron(rng) for _ in range(100)]
    eth = [wallets.random_eth(rng) for _ in range(100)]
    assert all(map(wallets.valid_btc, btc))
    assert {a[0] for a in btc} == {"1", "3", "b"}
    assert all(map(wallets.valid_tron, tron))
    assert all(a.startswith("T") for a in tron)
    assert all(map(wallets.valid_eth, eth))
    assert len(set(btc + tron + eth)) == 500


def test_valid_wallet_reads_normalised_values() -> None:
    assert wallets.valid_wallet("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert wallets.valid_wallet("tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    assert wallets.valid_wallet("eth:0x" + "ab" * 20)
    assert not wallets.valid_wallet("doge:DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L")
    assert not wallets.valid_wallet("eth:0x1234")
