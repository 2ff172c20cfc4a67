#pragma once
// Checks of a query's text before Xapian's parser sees it: the queries that parser
// mishandles (and leaks memory on) are recognised here and searched as plain words, and
// curly quotes copied from a page are not taken for phrase quotes. Used by query.cpp.

#include <string>
#include <string_view>

namespace evidence::core::query_text {

/// The misplaced operator of a query where a boolean operator comes before NEAR/n or ADJ/n
/// ("a OR NEAR/9 b"), or "" when there is none.
std::string operator_before_proximity(std::string_view text);

/// The operator a query begins or ends with ("AND x", "x OR"), or "" when there is none.
std::string operator_at_an_end(std::string_view text);

/// The text with curly quotes turned into spaces when it also holds straight quotes.
std::string neutralise_curly_quotes(std::string text);

}  // namespace evidence::core::query_text
