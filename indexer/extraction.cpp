#include "extraction.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <new>

#include <nlohmann/json.hpp>

#include "index_layout.hpp"
#include "language_detector.hpp"
#include "ocr.hpp"
#include "pdf_extractor.hpp"
#include "records.hpp"
#include "text.hpp"
#include "worker_protocol.hpp"

namespace evidence::indexer {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

constexpr int kLanguageSamplePages = 5;
constexpr std::size_t kLanguageSampleBytes = 12000;

// OCR reads a page when it is a scan: an image covers most of it (an A5 scan on an A4
// page covers half) and its text layer holds fewer letters and digits than a few words (a
// scan's layer is empty or holds a stray page number, a stamp or a scanner's name). A page
// of short real text with no image over it is no scan, and costs nothing more than its text.
// The OCR text replaces the layer only when it has more letters, so a short real page over a
// picture (a divider "Annex 3") keeps its own text.
constexpr int kMinTextLayerCharacters = 20;
constexpr double kMinScanCoverage = 0.5;
constexpr int kBlankCheckDpi = 72;  // one pixel a point: a line of 6-point text still shows
constexpr int kOcrDpi = 300;        // what Tesseract reads best; A4 is 8.7 million grey pixels

// Letters and digits, counting every non-ASCII code point as one.
int count_characters(const std::string& utf8) {
  int n = 0;
  for (char c : utf8) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || byte >= 0xC0) ++n;
  }
  return n;
}

std::string to_cbor_string(const json& j) {
  std::vector<std::uint8_t> bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

json from_cbor_string(const std::string& s) { return json::from_cbor(s.begin(), s.end()); }

// One field of a small CBOR frame, or the fallback when the frame is not what it should be.
template <class T>
T frame_field(const std::string& payload, const char* key, T fallback) {
  try {
    return from_cbor_string(payload).at(key).get<T>();
  } catch (const json::exception&) {
    return fallback;
  }
}

std::string file_stem(const std::string& file_name) {
  auto dot = file_name.rfind('.');
  std::string stem = dot == std::string::npos || dot == 0 ? file_name : file_name.substr(0, dot);
  for (char& c : stem) {
    if (c == '_') c = ' ';
  }
  return core::normalize_line(stem);
}

// Sidecar metadata first, then the PDF's info dictionary, then the file name.
void complete_metadata(const ExtractionJob& job, const PdfInfo& pdf, ExtractionResult& result) {
  core::DocumentMetadata& m = result.metadata;
  m = job.sidecar.value_or(core::DocumentMetadata{});
  result.metadata_source = job.sidecar ? "sidecar" : "pdf";
  if (m.title.empty()) {
    m.title = core::normalize_line(pdf.title);
    if (m.title.empty()) {
      m.title = file_stem(job.file_name);
      if (!job.sidecar) result.metadata_source = "file name";
    }
  }
  if (!job.sidecar) {
    if (std::string author = core::normalize_line(pdf.author); !author.empty()) {
      m.authors.push_back({author, ""});
    }
    m.date = pdf.date;
  }
  result.language = m.language.empty() ? "en" : m.language;
}

// The normalised text and headings of one page's text layer (a heading needs a letter: no
// bare numbers).
core::PageInfo read_text_layer(PdfExtractor& extractor, int n) {
  core::PageInfo page;
  page.number = n;
  page.text = core::normalize_page_text(extractor.page_text(n));
  for (const auto& raw : extractor.page_headings()) {
    std::string heading = core::normalize_line(raw);
    bool has_letter = std::any_of(heading.begin(), heading.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
    });
    if (has_letter) page.headings.push_back(std::move(heading));
  }
  return page;
}

// Reads pages: the text layer, or OCR where the page is a scan, for as many pages as the
// document's OCR bound leaves to this part.
struct PageReader {
  PdfExtractor& extractor;
  OcrEngine* ocr;             // null: OCR off
  std::string ocr_language;   // Tesseract's name of the document's language
  int ocr_budget = -1;        // scans Tesseract may still read; negative: no bound
  int ocr_pages_skipped = 0;  // scans not read because the budget was spent
  std::string ocr_problem{};  // set when a page needed OCR that is not available

  core::PageInfo read(int n) {
    core::PageInfo page = read_text_layer(extractor, n);
    if (ocr == nullptr || !is_scan(page)) return page;
    if (ocr_budget == 0) {
      ++ocr_pages_skipped;
      return page;
    }
    // A blank scan (the back of a cover, say) has nothing for Tesseract to find; an image
    // at 72 dpi, a seventeenth of the pixels of the one Tesseract reads, shows that.
    if (extractor.render_page(n, kBlankCheckDpi).blank()) return page;
    if (read_with_ocr(page) && ocr_budget > 0) --ocr_budget;
    return page;
  }

  // A page read by OCR before its language was known, read again in `ocr_language`; it
  // counts once against the budget.
  core::PageInfo read_again(int n) {
    core::PageInfo page = read_text_layer(extractor, n);
    read_with_ocr(page);
    return page;
  }

 private:
  bool is_scan(const core::PageInfo& page) {
    return count_characters(page.text) < kMinTextLayerCharacters &&
           extractor.image_coverage(page.number) >= kMinScanCoverage;
  }

  // Reads the page with Tesseract: false when OCR is not available.
  bool read_with_ocr(core::PageInfo& page) {
    if (!ocr->use_language(ocr_language)) {
      ocr_problem = ocr->problem();
      return false;
    }
    std::string text = core::normalize_page_text(ocr->read(extractor.render_page(page.number, kOcrDpi)));
    if (count_characters(text) > count_characters(page.text)) {
      page.text = std::move(text);
      page.headings.clear();
      page.ocr = true;
    }
    return true;
  }
};

// This part's share of the document's OCR bound, in proportion to its pages, so that the
// shares of a PDF read in parts add up to the bound; negative: no bound.
int ocr_budget(const ExtractionJob& job, int last_page, int page_count) {
  if (job.ocr_max_pages <= 0) return -1;
  auto share_before = [&](int page) {
    return static_cast<long long>(job.ocr_max_pages) * page / std::max(1, page_count);
  };
  return static_cast<int>(share_before(last_page) - share_before(job.first_page - 1));
}

// Guesses the language from the first pages, which it returns for reuse; scanned ones
// were read as English for the guess and are read again in the language guessed.
std::vector<core::PageInfo> guess_language(PageReader& reader, const PdfInfo& pdf, int sample_pages,
                                           ExtractionResult& result) {
  std::vector<core::PageInfo> first_pages;
  std::string sample;
  int last = std::min(pdf.page_count, sample_pages > 0 ? sample_pages : kLanguageSamplePages);
  for (int n = 1; n <= last && sample.size() < kLanguageSampleBytes; ++n) {
    first_pages.push_back(reader.read(n));
    sample += first_pages.back().text + "\n";
  }
  static LanguageDetector detector;  // one per worker process: the models load once
  if (std::string language = detector.detect(sample); !language.empty()) {
    result.language = language;
    result.language_detected = true;
  }
  if (std::string detected = tesseract_language(result.language); detected != reader.ocr_language) {
    reader.ocr_language = detected;
    for (auto& page : first_pages) {
      if (page.ocr) page = reader.read_again(page.number);
    }
  }
  return first_pages;
}

// The label printed on page n: the PDF's own page label, else the number shifted by the
// sidecar's page_label_offset (none before the first printed page), else the number.
std::string page_label(PdfExtractor& extractor, const PdfInfo& pdf, const core::DocumentMetadata& metadata,
                       int n) {
  if (pdf.has_page_labels) return core::normalize_line(extractor.page_label(n));
  if (metadata.page_label_offset) {
    int printed = n - *metadata.page_label_offset;
    return printed > 0 ? std::to_string(printed) : "";
  }
  return std::to_string(n);
}

core::Status extract(const ExtractionJob& job, int out_fd) {
  PdfExtractor extractor;
  auto opened = extractor.open(job.path);
  if (!opened) return opened.error();
  const PdfInfo& pdf = *opened;
  bool later_part = job.first_page > 1;  // the pool checks that its PDF has the pages it expects
  int last_page = job.last_page > 0 ? std::min(job.last_page, pdf.page_count) : pdf.page_count;

  if (!write_frame(out_fd, FrameType::kOpened, to_cbor_string({{"pages", pdf.page_count}}))) {
    return Error{ErrorCode::kInternal, "parent went away"};
  }

  ExtractionResult result;
  complete_metadata(job, pdf, result);
  if (!job.language.empty()) result.language = job.language;
  result.page_count = pdf.page_count;
  static OcrEngine ocr_engine;  // one per worker process: each language's model loads once
  PageReader reader{.extractor = extractor,
                    .ocr = job.ocr ? &ocr_engine : nullptr,
                    .ocr_language = tesseract_language(result.language),
                    .ocr_budget = ocr_budget(job, last_page, pdf.page_count)};

  // Without a language from the sidecar, guess it from the first pages (kept for reuse).
  std::vector<core::PageInfo> first_pages;
  if (result.metadata.language.empty() && !later_part)
    first_pages = guess_language(reader, pdf, job.language_sample_pages, result);
  // The parts of a long PDF start on this frame and read their pages in this language.
  if (!later_part && !write_frame(out_fd, FrameType::kLanguage, encode_result_header(result))) {
    return Error{ErrorCode::kInternal, "parent went away"};
  }

  core::DocumentRecordBuilder document(job.document_id, result.language);
  for (int n = job.first_page; n <= last_page; ++n) {
    auto index = static_cast<std::size_t>(n - 1);
    core::PageInfo page = index < first_pages.size() ? std::move(first_pages[index]) : reader.read(n);
    page.label = page_label(extractor, pdf, result.metadata, n);
    if (page.ocr) result.ocr_pages.push_back(n);
    if (page.text.empty()) result.pages_without_text.push_back(n);
    Xapian::Document words = core::page_words(result.language, page);
    document.add_page(n, words);
    Xapian::Document record =
        core::make_page_record(job.document_id, result.language, page, words, result.metadata.access);
    if (!write_frame(out_fd, FrameType::kPage, record.serialise())) {
      return Error{ErrorCode::kInternal, "parent went away"};
    }
  }
  result.ocr_problem = std::move(reader.ocr_problem);
  result.ocr_pages_skipped = reader.ocr_pages_skipped;
  result.document_record = (later_part ? document.text_part() : document.finish(result.metadata)).serialise();
  if (!write_frame(out_fd, FrameType::kDone, encode_result(result))) {
    return Error{ErrorCode::kInternal, "parent went away"};
  }
  return {};
}

}  // namespace

std::string encode_job(const ExtractionJob& job) {
  json j = {{"path", job.path},
            {"file_name", job.file_name},
            {"id", job.document_id},
            {"ocr", job.ocr},
            {"ocr_max_pages", job.ocr_max_pages},
            {"first_page", job.first_page},
            {"last_page", job.last_page},
            {"language", job.language},
            {"language_sample_pages", job.language_sample_pages}};
  if (job.sidecar) j["sidecar"] = core::metadata_to_json(*job.sidecar);
  return to_cbor_string(j);
}

core::Result<ExtractionJob> decode_job(const std::string& payload) {
  try {
    json j = from_cbor_string(payload);
    ExtractionJob job;
    job.path = j.at("path").get<std::string>();
    job.file_name = j.at("file_name").get<std::string>();
    job.document_id = j.at("id").get<std::string>();
    job.ocr = j.value("ocr", true);
    job.ocr_max_pages = j.value("ocr_max_pages", 0);
    job.first_page = std::max(1, j.value("first_page", 1));
    job.last_page = j.value("last_page", 0);
    job.language = j.value("language", "");
    job.language_sample_pages = j.value("language_sample_pages", 0);
    if (auto it = j.find("sidecar"); it != j.end()) job.sidecar = core::metadata_from_json(*it);
    return job;
  } catch (const json::exception& e) {
    return Error{ErrorCode::kInternal, std::string("bad job: ") + e.what()};
  }
}

std::string encode_result(const ExtractionResult& r) {
  json j = {{"metadata", core::metadata_to_json(r.metadata)},
            {"metadata_source", r.metadata_source},
            {"language", r.language},
            {"language_detected", r.language_detected},
            {"pages", r.page_count},
            {"ocr_pages", r.ocr_pages},
            {"pages_without_text", r.pages_without_text},
            {"ocr_problem", r.ocr_problem},
            {"ocr_pages_skipped", r.ocr_pages_skipped},
            {"record",
             json::binary(std::vector<std::uint8_t>(r.document_record.begin(), r.document_record.end()))}};
  return to_cbor_string(j);
}

core::Result<ExtractionResult> decode_result(const std::string& payload) {
  try {
    json j = from_cbor_string(payload);
    ExtractionResult r;
    r.metadata = core::metadata_from_json(j.at("metadata"));
    r.metadata_source = j.at("metadata_source").get<std::string>();
    r.language = j.at("language").get<std::string>();
    r.language_detected = j.value("language_detected", false);
    r.page_count = j.at("pages").get<int>();
    r.ocr_pages = j.at("ocr_pages").get<std::vector<int>>();
    r.pages_without_text = j.at("pages_without_text").get<std::vector<int>>();
    r.ocr_problem = j.at("ocr_problem").get<std::string>();
    r.ocr_pages_skipped = j.value("ocr_pages_skipped", 0);
    const auto& record = j.at("record").get_binary();
    r.document_record.assign(record.begin(), record.end());
    return r;
  } catch (const json::exception& e) {
    return Error{ErrorCode::kInternal, std::string("bad result from worker: ") + e.what()};
  }
}

std::string encode_result_header(const ExtractionResult& result) { return encode_result(result); }

int decode_opened(const std::string& payload) { return frame_field(payload, "pages", 0); }

std::string decode_language(const std::string& payload) { return frame_field(payload, "language", std::string()); }

std::string encode_failure(const Error& error) {
  return to_cbor_string({{"code", static_cast<int>(error.code)}, {"message", error.message}});
}

Error decode_failure(const std::string& payload) {
  try {
    json j = from_cbor_string(payload);
    return Error{static_cast<ErrorCode>(j.at("code").get<int>()), j.at("message").get<std::string>()};
  } catch (const json::exception& e) {
    return Error{ErrorCode::kInternal, std::string("bad failure report from worker: ") + e.what()};
  }
}

namespace {

// Why an allocation failed: the worker's memory limit (the pool sets RLIMIT_AS), when it
// has one, so that the reason reads the same as when the limit kills the worker outright.
std::string out_of_memory_reason() {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    return "it needed more than the memory limit of " + std::to_string(limit.rlim_cur / (1024 * 1024)) + " MiB";
  }
  return "ran out of memory";
}

}  // namespace

int run_worker(int in_fd, int out_fd) {
  while (auto frame = read_frame(in_fd)) {
    if (frame->type != FrameType::kJob) return 2;
    auto job = decode_job(frame->payload);
    core::Status status = job ? core::Status{} : core::Status{job.error()};
    if (job) {
      try {
        status = extract(*job, out_fd);
      } catch (const std::bad_alloc&) {
        status = Error{ErrorCode::kExtractionFailed, out_of_memory_reason()};
      } catch (const std::exception& e) {
        status = Error{ErrorCode::kDamaged, std::string("the PDF cannot be read: ") + e.what()};
      }
    }
    if (!status && !write_frame(out_fd, FrameType::kFailed, encode_failure(status.error()))) return 1;
  }
  return 0;
}

}  // namespace evidence::indexer
