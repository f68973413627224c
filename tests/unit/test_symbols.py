import numpy as np
import pandas as pd
import pytest

from sendreport.errors import DataValidationError
from sendreport.symbols import PUBLISHER_ERROR, STATUS_VALUES, parse_numeric


def test_numbers_and_symbols_keep_their_reason():
    vals, status = parse_numeric(pd.Series(["12", "x", "c", "low", ":", "~", "", "1,234"]),
                                 file="f.csv", column="v", thousands=True)
    assert vals[0] == 12 and vals[7] == 1234
    assert np.isnan(vals[1:7]).all()  # never turned into 0
    assert list(status[1:6]) == ["x: not available", "c: confidential", "low: rounds to zero",
                                 ":: not available", "~: rounds to zero"]
    assert status[6] == "blank" and status[0] == ""


def test_nil_dash_is_zero_and_percent_strings_parse():
    vals, status = parse_numeric(pd.Series([" - ", "1.60%"]), file="f", column="c",
                                 percent=True)
    assert vals[0] == 0 and vals[1] == pytest.approx(1.6)
    assert list(status) == ["", ""]


def test_unknown_text_names_file_column_and_row():
    with pytest.raises(DataValidationError) as e:
        parse_numeric(pd.Series(["1", "2", "abc"]), file="f.csv", column="Total_all",
                      rows=np.array([2, 3, 4]))
    msg = str(e.value)
    assert "f.csv" in msg and "Total_all" in msg and "row 4" in msg and "'abc'" in msg


def test_publisher_error_is_an_allowed_status():
    assert PUBLISHER_ERROR in STATUS_VALUES
