"""The UN symbol grammar: permissive for real symbols, strict for quotes and control characters."""

from __future__ import annotations

import pytest

from scrapers.errors import ScrapeError
from scrapers.symbols import InvalidSymbol, check_symbol, is_un_symbol

REAL = ["A/HRC/39/14", "A/HRC/39/14/Add.1", "A/HRC/WG.6/30/AZE/1", "CCPR/C/AZE/CO/4",
        "A/HRC/WG.6/30/AZE/2/Corr.1", "A/HRC/WG.6/30/L.12", "A/HRC/DEC/59/112", "A/HRC/S-28/1",
        "A/RES/ES-10/19", "E/CN.4/2005/L.10/Add.17", "E/C.12/AZE/CO/4", "CRC/C/OPAC/AZE/CO/1",
        "S/RES/2231 (2015)", "S/RES/2231(2015)", "a/hrc/39/14/add.1"]
BAD = ['A/HRC/39/14"', "A/HRC/39/14\r\nX-Injected: 1", "A/HRC/39/14\n", "A/HRC/39/14\x00", "A",
       "A/", "/A/HRC", "A//HRC", "A/HRC/39/14;rm", "A/HRC/39 /14", "Resolution 2322 (2020)",
       "A/HRC/39/14\u2028", "A/HRC/39/14/Add.1\u00a0", "1/HRC/39", "A/HRC/" + "1" * 200, ""]


@pytest.mark.parametrize("symbol", REAL)
def test_real_symbols_are_accepted(symbol):
    assert is_un_symbol(symbol)
    assert check_symbol(f" {symbol} ") == symbol


@pytest.mark.parametrize("symbol", BAD)
def test_bad_symbols_are_refused_with_a_clear_one_line_error(symbol):
    assert not is_un_symbol(symbol)
    with pytest.raises(InvalidSymbol) as caught:
        check_symbol(symbol, what="--symbol")
    message = str(caught.value)
    assert isinstance(caught.value, ScrapeError)
    assert "--symbol" in message and "not a UN document symbol" in message
    assert "\n" not in message and "\r" not in message
