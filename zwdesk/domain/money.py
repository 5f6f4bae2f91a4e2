"""Money as integer fen (分), parsed from and shown as 元."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

Fen = int
FEN_PER_YUAN = 100


def yuan_to_fen(value: int | float | str | Decimal) -> Fen:
    """Convert an amount in 元 (at most two decimals) to fen; raise ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("不是金额")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError("不是金额") from error
    if not amount.is_finite():
        raise ValueError("不是金额")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError("金额最多保留两位小数（分）")
    return int(fen)


def fen_to_number(fen: Fen) -> int | float:
    """The JSON number for an amount: an int when it is whole 元, else 元 with fen."""
    if fen % FEN_PER_YUAN == 0:
        return fen // FEN_PER_YUAN
    return fen / FEN_PER_YUAN


def format_yuan(fen: Fen) -> str:
    """Amount as people read it in an explanation: 4200, 1234.50 (no unit)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}" if cents == 0 else f"{sign}{whole}.{cents:02d}"
