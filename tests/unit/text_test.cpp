// Tests of common/text.hpp: page text normalisation, UTF-8 checks and printable bytes.

#include <boost/test/unit_test.hpp>

#include <string>

#include "text.hpp"

namespace {

using evidence::core::is_valid_utf8;
using evidence::core::normalize_line;
using evidence::core::normalize_page_text;
using evidence::core::printable;
using evidence::core::to_hex;
using evidence::core::to_valid_utf8;

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(ligature_becomes_letters) {
  BOOST_TEST(normalize_page_text("\xEF\xAC\x81nd the o\xEF\xAC\x83" "ce") == "find the office");
}

BOOST_AUTO_TEST_CASE(soft_hyphen_is_removed) {
  BOOST_TEST(normalize_page_text("traf\xC2\xAD" "ficking") == "trafficking");
}

BOOST_AUTO_TEST_CASE(zero_width_and_control_characters_are_removed) {
  BOOST_TEST(normalize_page_text("a\xE2\x80\x8B" "b\x01" "c\x7F" "d\xEF\xBB\xBF" "e") == "abcde");
}

BOOST_AUTO_TEST_CASE(runs_of_spaces_and_tabs_collapse) {
  BOOST_TEST(normalize_page_text("forced  \t labour\t\tand   debt") == "forced labour and debt");
}

BOOST_AUTO_TEST_CASE(nbsp_and_other_spaces_become_a_space) {
  BOOST_TEST(normalize_page_text("12\xC2\xA0" "May") == "12 May");
  BOOST_TEST(normalize_page_text("a\xE2\x80\x83" "b\xE3\x80\x80" "c") == "a b c");
}

BOOST_AUTO_TEST_CASE(three_or_more_newlines_leave_one_blank_line) {
  BOOST_TEST(normalize_page_text("one\n\n\ntwo") == "one\n\ntwo");
  BOOST_TEST(normalize_page_text("one\n\n\n\n\n\ntwo") == "one\n\ntwo");
  BOOST_TEST(normalize_page_text("one\n\ntwo") == "one\n\ntwo");
  BOOST_TEST(normalize_page_text("one\ntwo") == "one\ntwo");
}

BOOST_AUTO_TEST_CASE(lines_are_trimmed) {
  BOOST_TEST(normalize_page_text("one   \n   two  \n \t \n  three") == "one\ntwo\n\nthree");
  BOOST_TEST(normalize_page_text("a\r\nb") == "a\nb");
}

BOOST_AUTO_TEST_CASE(leading_and_trailing_whitespace_is_trimmed) {
  BOOST_TEST(normalize_page_text("\n\n  \t text \n\n\n ") == "text");
  BOOST_TEST(normalize_page_text(" \n\t ") == "");
  BOOST_TEST(normalize_page_text("") == "");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_becomes_replacement_character) {
  BOOST_TEST(normalize_page_text("caf\xE9 au lait") == "caf" + kReplacement + " au lait");
  BOOST_TEST(normalize_page_text("\xFF") == kReplacement);
}

BOOST_AUTO_TEST_CASE(all_rules_together) {
  BOOST_TEST(normalize_page_text("  a\xEF\xAC\x81 b\xC2\xAD" "c\t\t d\n\n\n\ne\xFF f\xC2\xA0g  \n") ==
             "afi bc d\n\ne" + kReplacement + " f g");
}

BOOST_AUTO_TEST_CASE(normalize_line_joins_lines) {
  BOOST_TEST(normalize_line("  Forced\n\n\nlabour \t in\n  fisheries  ") == "Forced labour in fisheries");
  BOOST_TEST(normalize_line("o\xEF\xAC\x83" "ce\xC2\xA0hours") == "office hours");
  BOOST_TEST(normalize_line("\n \n") == "");
}

BOOST_AUTO_TEST_CASE(valid_utf8_is_recognised) {
  BOOST_TEST(is_valid_utf8(""));
  BOOST_TEST(is_valid_utf8("plain ASCII"));
  BOOST_TEST(is_valid_utf8("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x93\x84"));  // é, em dash, U+1F4C4
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_recognised) {
  BOOST_TEST(!is_valid_utf8("\xFF"));
  BOOST_TEST(!is_valid_utf8("caf\xE9"));              // Latin-1
  BOOST_TEST(!is_valid_utf8("\xC3"));                 // truncated sequence
  BOOST_TEST(!is_valid_utf8("\xC0\xAF"));             // overlong '/'
  BOOST_TEST(!is_valid_utf8("\xED\xA0\x80"));         // UTF-16 surrogate
  BOOST_TEST(!is_valid_utf8("\xF4\x90\x80\x80"));     // above U+10FFFF
  BOOST_TEST(!is_valid_utf8("\x80" "abc"));           // lone continuation byte
}

BOOST_AUTO_TEST_CASE(to_valid_utf8_replaces_each_bad_sequence) {
  BOOST_TEST(to_valid_utf8("a\xFF" "b") == "a" + kReplacement + "b");
  BOOST_TEST(to_valid_utf8("\xFF\xFE") == kReplacement + kReplacement);
  BOOST_TEST(to_valid_utf8("\xE2\x82x") == kReplacement + "x");  // truncated € sequence
  const std::string valid = "caf\xC3\xA9";
  BOOST_TEST(to_valid_utf8(valid) == valid);
  BOOST_TEST(to_valid_utf8("") == "");
}

BOOST_AUTO_TEST_CASE(printable_escapes_control_and_invalid_bytes) {
  BOOST_TEST(printable("line\nnext") == "line\\nnext");
  BOOST_TEST(printable("a\tb") == "a\\tb");
  BOOST_TEST(printable("bad\xFF") == "bad\\xff");
  BOOST_TEST(printable("back\\slash") == "back\\\\slash");
  BOOST_TEST(printable("bell\x07\r\x7F") == "bell\\x07\\x0d\\x7f");
  BOOST_TEST(printable(std::string("nul\0end", 7)) == "nul\\x00end");
}

BOOST_AUTO_TEST_CASE(printable_keeps_valid_utf8) {
  BOOST_TEST(printable("caf\xC3\xA9.pdf") == "caf\xC3\xA9.pdf");
  BOOST_TEST(printable("") == "");
}

BOOST_AUTO_TEST_CASE(to_hex_is_lower_case) {
  BOOST_TEST(to_hex(std::string("\x00\x0f\xff" "A", 4)) == "000fff41");
  BOOST_TEST(to_hex("abc") == "616263");
  BOOST_TEST(to_hex("") == "");
}

BOOST_AUTO_TEST_SUITE_END()
