"""Table-driven name cases: parsing, script, transliteration and variant keys."""

from __future__ import annotations

import pytest

from pipeline.standardize import latin_display, name_features, name_keys_for

# (full_name, expected script, expected tokens, expected surname key)
PARSE_CASES = [
    ("John Smith", "Latin", ["SMITH", "JOHN"], "SMIT"),
    ("SMITH, John", "Latin", ["SMITH", "JOHN"], "SMIT"),
    ("SMITH<<JOHN<PAUL<<<<<", "Latin", ["SMITH", "JOHN", "PAUL"], "SMIT"),
    ("Mr. John Smith Jr.", "Latin", ["JOHN", "SMITH"], None),
    ("José García López", "Latin", ["LOPEZ", "JOSE", "GARCIA"], "LOPEZ"),
    ("Müller Jürgen", "Latin", ["JURGEN", "MULLER"], "IURGEN"),
    ("MUELLER<<JUERGEN", "Latin", ["MUELLER", "JUERGEN"], "MULER"),
    ("Łukasz Żółć", "Latin", ["ZOLC", "LUKASZ"], "ZOLC"),
    ("O'Brien Sean", "Latin", ["SEAN", "OBRIEN"], "SEAN"),
    ("Jean-Claude VAN DAMME", "Latin", ["DAMME", "JEAN", "CLAUDE"], "DAME"),
    ("Ludwig van Beethoven", "Latin", ["BEETHOVEN", "LUDWIG"], "BITOVEN"),
    ("Юрий Гагарин", "Cyrillic", ["GAGARIN", "YURIY"], "GAGARIN"),
    ("Иванова Елена Петровна", "Cyrillic", ["IVANOVA", "YELENA", "PETROVNA"], "IVANOV"),
    ("Олександр Шевченко", "Cyrillic", ["SHEVCHENKO", "OLEKSANDR"], "SHEVCHENKO"),
    ("Євген Ковальчук", "Cyrillic", ["KOVALCHUK", "YEVHEN"], "KOVALCHUK"),
    ("Сергей Кузнецов", "Cyrillic", ["KUZNETSOV", "SERGEY"], "KUZNEKOV"),
    ("Αλέξανδρος Παπαδόπουλος", "Greek", ["PAPADOPOULOS", "ALEXANDROS"], "PAPADOPULOS"),
    ("Γιώργος Νικολάου", "Greek", ["NIKOLAOU", "GIORGOS"], "NIKOLAU"),
    ("محمد بن سلمان", "Arabic", ["SLMAN", "MHMD"], "SLMAN"),
    ("عبد الرحمن الخالد", "Arabic", ["KHALD", "BD", "RHMN"], "HALD"),
    ("حسین رضایی", "Arabic", ["RZAYY", "HSYN"], "RZAI"),
    ("בוני בדליה", "Hebrew", ["BDLYH", "BWNY"], "BDLIH"),
    ("משה כהן", "Hebrew", ["KHN", "MSHH"], "HN"),  # shin is sh, final he is written
    ("דוד לוי", "Hebrew", ["LWY", "DWD"], "LVI"),
    ("राहुल शर्मा", "Devanagari", ["SHARMA", "RAHUL"], "SHARMA"),
    ("प्रिया पटेल", "Devanagari", ["PATEL", "PRIYA"], "PATEL"),
    ("রহিম উদ্দিন", "Bengali", ["UDDIN", "RAHIM"], "UDIN"),
    ("张小明", "Han", ["ZHANG", "XIAOMING"], "ZHANG"),
    ("欧阳娜娜", "Han", ["OUYANG", "NANA"], "UIANG"),
    ("王伟", "Han", ["WANG", "WEI"], "VANG"),
    ("李娜", "Han", ["LI", "NA"], "LI"),
    ("毛泽东", "Han", ["MAO", "ZEDONG"], "MAO"),
    ("박지성", "Hangul", ["PARK", "JISEONG"], "PAK"),
    ("이민호", "Hangul", ["LEE", "MINHO"], "I"),
    ("김연아", "Hangul", ["KIM", "YEONA"], "KIM"),
    ("남궁민", "Hangul", ["NAMGOONG", "MIN"], "NAMGUNG"),
    ("サトウ ハナコ", "Katakana", ["SATO", "HANAKO"], "SATO"),
    ("たなか たろう", "Hiragana", ["TANAKA", "TARO"], "TANAKA"),
    ("გიორგი ბერიძე", "Georgian", ["BERIDZE", "GIORGI"], "BERICE"),
    ("Արամ Խաչատրյան", "Armenian", ["KHACHATRYAN", "ARAM"], "HACHATRIAN"),
    ("สมชาย ใจดี", "Thai", ["CIDI", "SMCHAY"], "CIDI"),
    ("PUGAZHENTHI N", "Latin", ["PUGAZHENTHI", "N"], "PUGAZHENTI"),
    ("Dr. Ahmed Al-Farsi", "Latin", ["FARSI", "AHMED"], "FARSI"),
    ("Sheikh Mohammed Al Maktoum", "Latin", ["MAKTOUM", "MOHAMMED"], "MAKTUM"),
    ("Xiao-Ming Zhang", "Latin", ["ZHANG", "XIAO", "MING"], "ZHANG"),
    ("Park Ji-sung", "Latin", ["JI", "SUNG", "PARK"], "JI"),
    ("Lee Min-ho", "Latin", ["MIN", "HO", "LEE"], "MIN"),
    ("Iurii Gagarin", "Latin", ["GAGARIN", "IURII"], "GAGARIN"),
    ("Yuriy Gagarin", "Latin", ["GAGARIN", "YURIY"], "GAGARIN"),
    ("Jurij Gagarin", "Latin", ["GAGARIN", "JURIJ"], "GAGARIN"),
    ("Mohamed Salah", "Latin", ["SALAH", "MOHAMED"], "SALAH"),
    ("Muhammad Ali", "Latin", ["ALI", "MUHAMMAD"], "ALI"),
    ("Ivanova Elena", "Latin", ["IVANOVA", "ELENA"], "IVANOV"),
    ("Kovalskaya Anna", "Latin", ["KOVALSKAYA", "ANNA"], "KOVALSKI"),
    ("Wladimir Klitschko", "Latin", ["KLITSCHKO", "WLADIMIR"], "KLICHKO"),
    ("J. R. R. Tolkien", "Latin", ["TOLKIEN", "J", "R"], "TOLKIEN"),
    ("Mary-Jane Watson", "Latin", ["WATSON", "MARY", "JANE"], "VAKON"),
    ("De La Cruz Juan", "Latin", ["JUAN", "CRUZ"], "IUAN"),
    ("Abdel Rahman Omar", "Latin", ["OMAR", "ABDEL", "RAHMAN"], "OMAR"),
    ("Tsoi Viktor", "Latin", ["VIKTOR", "TSOI"], "VIKTOR"),
    ("Chou En-lai", "Latin", ["EN", "LAI", "CHOU"], "IEN"),
    ("Teng Hsiao-ping", "Latin", ["HSIAO", "PING", "TENG"], "XIAO"),
    ("Grigoriev Pavel", "Latin", ["GRIGORIEV", "PAVEL"], "GRIGORIEV"),
    ("Ñúñez Peña", "Latin", ["PENA", "NUNEZ"], "PENA"),
    ("Straße Hans", "Latin", ["HANS", "STRASSE"], "HANS"),
    ("ŞAHİN Ömer", "Latin", ["SAHIN", "OMER"], "SAHIN"),
    ("Dvořák Antonín", "Latin", ["ANTONIN", "DVORAK"], "ANTONIN"),
    ("", None, [], None),
    ("<<<", None, [], None),
    ("Mr.", "Latin", [], None),
    ("Ōtani Shōhei", "Latin", ["SHOHEI", "OTANI"], "SHOHEI"),
    ("Þór Ólafsson", "Latin", ["OLAFSSON", "THOR"], "OLAFSON"),
]

# Two spellings of one name that must share at least one feature of the kind given.
MEET_CASES = [
    ("Iurii Gagarin", "Yuriy Gagarin", "keys"),
    ("Jurij Gagarin", "Yury Gagarin", "keys"),
    ("Юрий Гагарин", "GAGARIN<<IURII", "keys"),
    ("Иванова Елена", "IVANOVA<<ELENA", "keys"),
    ("Иванова Елена", "Elena Ivanov", "keys"),
    ("Kovalskaya Anna", "Kovalskiy Ivan", "keys"),
    ("Kovalska Anna", "Kowalski Jan", "keys"),
    ("Putina Lyudmila", "Putin Vladimir", "keys"),
    ("Grigoriev Pavel", "Grigoryev Pavel", "keys"),
    ("Khalid Ahmed", "Halid Ahmed", "keys"),
    ("Wladimir Klitschko", "Vladimir Klitschko", "keys"),
    ("Philipp Lahm", "Filip Lahm", "keys"),
    ("Qasim Soleimani", "Kasim Soleimani", "keys"),
    ("Schmidt Hans", "Shmidt Hans", "keys"),
    ("Zhang Wei", "Chang Wei", "keys"),
    ("Xi Jinping", "Hsi Jinping", "keys"),
    ("Xiao-Ming Zhang", "Xiaoming Zhang", "keys"),
    ("Xiao Ming Zhang", "张小明", "keys"),
    ("Jean-Claude Van Damme", "Jean Claude Vandamme", "keys"),
    ("Lee Min-ho", "Yi Minho", "keys"),
    ("Rhee Syngman", "이승만", "keys"),
    ("Park Ji-sung", "Pak Jisung", "keys"),
    ("Bak Jisung", "박지성", "keys"),
    ("Kim Yuna", "김연아", "keys"),
    ("Elena Ivanova", "Yelena Ivanova", "keys"),
    ("Tsoi Viktor", "Tsoy Viktor", "keys"),
    ("Olga Zhukova", "Olga Joukova", "skeletons"),
    ("Mohammed Salman", "Muhammad Salman", "skeletons"),
    ("Mohamed Salah", "محمد صلاح", "skeletons"),
    ("Saud Salman", "سعود سلمان", "skeletons"),
    ("Bonnie Bedelia", "בוני בדליה", "skeletons"),
    ("Rahul Sharma", "राहुल शर्मा", "keys"),
    ("Priya Patel", "प्रिया पटेल", "keys"),
    ("Rahim Uddin", "রহিম উদ্দিন", "keys"),
    ("Giorgi Beridze", "გიორგი ბერიძე", "keys"),
    ("Aram Khachatryan", "Արամ Խաչատրյան", "keys"),
    ("Alexandros Papadopoulos", "Αλέξανδρος Παπαδόπουλος", "keys"),
    ("Sergey Kuznetsov", "Сергей Кузнецов", "keys"),
    ("Oleksandr Shevchenko", "Олександр Шевченко", "keys"),
    ("Yevhen Kovalchuk", "Євген Ковальчук", "keys"),
    ("Hanako Sato", "サトウ ハナコ", "keys"),
    ("Taro Tanaka", "たなか たろう", "keys"),
    ("Somchai Jaidee", "สมชาย ใจดี", "skeletons"),
    ("Mohammed Ali", "Muhammad Ali", "kb"),
    ("Mohamed Ali", "Mohammad Ali", "kb"),
    ("Hossein Karimi", "Husayn Karimi", "kb"),
    ("Aleksandr Pushkin", "Oleksandr Pushkin", "kb"),
    ("Alexander Pushkin", "Aleksandr Pushkin", "kb"),
    ("Yuri Gagarin", "Iurii Gagarin", "kb"),
    ("Abdel Rahman Omar", "Abdulrahman Omar", "skeletons"),
    ("Müller Jürgen", "MUELLER<<JUERGEN", "keys"),
    ("Smith John", "Jon Smyth", "phonetic"),
    ("Catherine Zeta", "Kathryn Zeta", "phonetic"),
]

# Names that must not collapse onto each other through keys alone.
APART_CASES = [
    ("John Smith", "Maria Garcia"),
    ("Zhang Wei", "Wang Fang"),
    ("Ivan Petrov", "Sergey Ivanov Kuznetsov"[:0] + "Olga Smirnova"),
    ("Kim Yuna", "Park Jisung"),
]


@pytest.mark.parametrize(("full", "script", "tokens", "surname_key"), PARSE_CASES)
def test_parse_and_transliterate(
    full: str, script: str | None, tokens: list[str], surname_key: str | None
) -> None:
    features = name_features(full_name=full)
    assert features.script == script
    assert list(features.tokens) == tokens
    assert features.surname_key == surname_key


@pytest.mark.parametrize(("left", "right", "kind"), MEET_CASES)
def test_variants_meet(left: str, right: str, kind: str) -> None:
    a, b = name_features(full_name=left), name_features(full_name=right)
    assert set(getattr(a, kind)) & set(getattr(b, kind)), (kind, getattr(a, kind), getattr(b, kind))


@pytest.mark.parametrize(("left", "right"), APART_CASES)
def test_different_names_stay_apart(left: str, right: str) -> None:
    assert not set(name_keys_for(left)) & set(name_keys_for(right))


def test_structured_fields_win_over_full_name() -> None:
    features = name_features("Ivanova", "Elena", "Something Else")
    assert features.surname_key == "IVANOV"
    assert features.given_key == "IELENA"


def test_initials_stay_single_letters() -> None:
    assert name_features(full_name="Е. Иванова").tokens == ("IVANOVA", "Y")


def test_latin_display() -> None:
    assert latin_display("SMITH<<JOHN") == "John Smith"
    assert latin_display("") is None
