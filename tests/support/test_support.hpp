#pragma once
// The helpers of tests/support/ in one include, with their names brought into the test
// file's scope (fs for std::filesystem, json for nlohmann::json), so that a test file does
// not open with a list of using-declarations. Test code only.

#include <filesystem>

#include <nlohmann/json.hpp>

#include "corpus_builder.hpp"
#include "http_client.hpp"
#include "library_fixture.hpp"
#include "pdf_writer.hpp"
#include "process.hpp"
#include "schema_check.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using evidence::pdfgen::PdfSpec;
using evidence::pdfgen::simple_pdf;
using evidence::testing::add_token;
using evidence::testing::binary;
using evidence::testing::Child;
using evidence::testing::connect_loopback;
using evidence::testing::free_loopback_port;
using evidence::testing::HttpClient;
using evidence::testing::HttpResult;
using evidence::testing::LibraryFixture;
using evidence::testing::ProcessResult;
using evidence::testing::read_file;
using evidence::testing::run_indexer;
using evidence::testing::run_process;
using evidence::testing::schema_errors;
using evidence::testing::ServerProcess;
using evidence::testing::summary_of;
using evidence::testing::TempDir;
using evidence::testing::url_encode;
using evidence::testing::write_file;
using evidence::testing::write_pages;
using evidence::testing::write_pdf;
using nlohmann::json;
