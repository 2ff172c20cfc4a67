#pragma once
// Text handling shared by the indexer and the server: normalising extracted page text,
// UTF-8 checks, and making arbitrary bytes safe to print.

#include <string>
#include <string_view>

namespace evidence::core {

/// Page text as it is stored and indexed: Unicode NFKC (ligatures such as "ﬁ" become
/// "fi"), soft hyphens and control characters removed, runs of spaces collapsed, lines
/// trimmed, at most one blank line in a row. Invalid UTF-8 becomes U+FFFD.
std::string normalize_page_text(std::string_view text);

/// Builds ICU's NFKC normaliser now. ICU builds it on first use, behind a once-flag of its
/// own; a server calls this before its threads start, so that they share a finished one
/// (ThreadSanitizer, which cannot see inside ICU, reported two threads' first use as a race).
void prepare_normalisation();

/// NFKC plus whitespace collapsed to single spaces: for metadata strings.
std::string normalize_line(std::string_view text);

/// True when the bytes are well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes);

/// The bytes with every invalid UTF-8 sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view bytes);

/// A one-line, printable form of arbitrary bytes for terminals and logs: control
/// characters and invalid UTF-8 bytes are written as \n, \t or \xNN.
std::string printable(std::string_view bytes);

/// Lower-case hex of the bytes.
std::string to_hex(std::string_view bytes);

}  // namespace evidence::core
