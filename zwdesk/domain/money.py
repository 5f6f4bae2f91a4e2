"""Money as integer fen (分), parsed from and shown as 元."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

Fen = int
FEN_PER_YUAN = 100


def yuan_to_fen(value: int | float | str | Decimal) -> Fen:
    """Convert an amount in 元 (at most two decimals) to fen; raise ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("不是金额")
    if type(value) is int:  # whole 元: no decimal arithmetic needed
        return value * FEN_PER_YUAN
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


def format_yuan_grouped(fen: Fen) -> str:
    """Amount as a table or a total shows it: 40,000.00 (thousands grouped, always fen)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole:,}.{cents:02d}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def _group_words(group: int) -> str:
    """A four-digit group (1–9999) in capital numerals, inner zeros read once."""
    words, zero = "", False
    for position in (3, 2, 1, 0):
        digit = group // 10**position % 10
        if digit == 0:
            zero = zero or bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += _DIGITS[digit] + _SMALL_UNITS[position]
    return words


def _integer_words(number: int) -> str:
    groups = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    words, zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = bool(words)
            continue
        if words and (zero or group < 1000):
            words += "零"
        zero = False
        words += _group_words(group) + _GROUP_UNITS[index]
    return words


def amount_in_words(fen: Fen) -> str:
    """大写金额 as written on claim forms: 12300元 → 壹万贰仟叁佰元整, 0.01元 → 壹分."""
    if fen < 0:
        raise ValueError("金额不能为负")
    yuan, cents = divmod(fen, FEN_PER_YUAN)
    jiao, fen_digit = divmod(cents, 10)
    if fen == 0:
        return "零元整"
    words = _integer_words(yuan) + "元" if yuan else ""
    if cents == 0:
        return words + "整"
    if jiao:
        if yuan and yuan % 10 == 0:
            words += "零"  # 1680.32 → 壹仟陆佰捌拾元零叁角贰分 (会计基础工作规范)
        words += _DIGITS[jiao] + "角"
        return words + (_DIGITS[fen_digit] + "分" if fen_digit else "整")
    if yuan:
        words += "零"
    return words + _DIGITS[fen_digit] + "分"
