"""MRZ names read as letters (a 0 is an O); label tails stripped from the issuing authority."""

from __future__ import annotations

from datetime import date

from barrierfree.vision.idcard import cn_labels, cn_ric_back, gates
from barrierfree.vision.mrz import zone as mrz
from barrierfree.vision.idcard.fields import FieldText


def test_a_zero_read_in_an_mrz_name_comes_back_as_the_letter_o():
    # The ICAO 9303 TD3 specimen with the O's of UTO and ERIKSSON read as 0, and the TD1 specimen likewise;
    # the recogniser reads OCR-B O as 0 (dropping the digit alphabet instead loses the O altogether).
    td3 = mrz.parse(["P<UT0ERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                     "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=date(2010, 1, 1))
    assert td3 is not None and td3.kind == "td3"
    assert (td3.fields["issuing_state"], td3.fields["surname"], td3.fields["given_names"]) == ("UTO", "ERIKSSON", "ANNA MARIA")
    td1 = mrz.parse(["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                     "ERIKSS0N<<ANNA<MARIA<<<<<<<<<<"], today=date(2010, 1, 1))
    assert td1 is not None and (td1.fields["surname"], td1.fields["given_names"]) == ("ERIKSSON", "ANNA MARIA")
    assert all(check.passed for check in td1.checks if check.name.endswith("check_digit"))


def test_an_authority_read_with_the_tail_of_its_label_loses_the_tail():
    # One rule for every label (issue 18): a leftover piece is a suffix of the label that the row's
    # geometry puts left of the value column (``leftover`` characters); no per-region word list.
    for read, leftover, truth in (("机关辽宁公安局辽阳县分局", 2, "辽宁公安局辽阳县分局"), ("关云南公安局个旧市分局", 1, "云南公安局个旧市分局"),
                                  ("关岭县公安局", 0, "关岭县公安局"), ("号码110101194912310016", 2, "110101194912310016"),
                                  ("址北京市东城区", 1, "北京市东城区")):
        assert cn_labels.strip_label_piece(read, cn_labels.ALL_LABELS, leftover) == truth
    fields, _, checks = cn_ric_back.parse({"issuing_authority": FieldText((("签发机关北京市公安局东城分局", 0.95),)),
                                           "validity": FieldText((("2015.03.01-2035.03.01", 0.97),))}, today=date(2024, 1, 1))
    assert fields["issuing_authority"] == "北京市公安局东城分局"
    assert all(check.passed for check in gates.authority_checks(fields["issuing_authority"]))
    assert not gates.authority_checks("机关辽宁公安局辽阳县分局")[0].passed


def test_a_td1_document_code_read_as_a_digit_is_a_letter_again():
    # Benchmark photos 10163 and 10170 read the TD1 specimen's leading I as 1.
    td1 = mrz.parse(["1<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                     "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"], today=date(2010, 1, 1))
    assert td1 is not None and td1.fields["document_code"] == "I"
    assert all(check.passed for check in td1.checks if check.name.endswith("check_digit"))


def test_a_letter_seen_in_the_filler_after_the_given_names_is_dropped():
    # Benchmark photo 10188 read a filler after ERIKA as S; after the given names only fillers follow.
    td3 = mrz.parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<S<<<<<<<<<<<",
                     "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=date(2010, 1, 1))
    assert td3 is not None and (td3.fields["surname"], td3.fields["given_names"]) == ("ERIKSSON", "ANNA MARIA")
    # A one-letter given name after a single filler is a real name, and stays.
    td3 = mrz.parse(["P<UTOERIKSSON<<ANNA<M<<<<<<<<<<<<<<<<<<<<<<<",
                     "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=date(2010, 1, 1))
    assert td3 is not None and td3.fields["given_names"] == "ANNA M"


def test_germanys_one_letter_code_and_a_t_read_as_7_are_letters_again():
    # OCR-B D reads as 0 (turned into O in a letter position); no state code but D has one letter.
    td1 = mrz.parse(["I<0<<D231458907<<<<<<<<<<<<<<<", "7408122F1204159I7A<<<<<<<<<<<6",
                     "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"], today=date(2010, 1, 1))
    assert td1 is not None and (td1.fields["issuing_state"], td1.fields["nationality"]) == ("D", "ITA")


def test_an_s_read_as_9_in_a_name_is_an_s_again():
    # Held-out photos 30170 and 40078 read ROSSI as RO9SI and JOSE as JO9E.
    td1 = mrz.parse(["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                     "RO9SI<<JO9E<<<<<<<<<<<<<<<<<<<"], today=date(2010, 1, 1))
    assert td1 is not None and (td1.fields["surname"], td1.fields["given_names"]) == ("ROSSI", "JOSE")
