// JSON-schema validation of report files, through tests/node/validate.js (ajv) and the schemas in
// the shared specs folder (CUSTOMS_SOURCE_DIR "/../shared/specs/schemas/").
#pragma once

#include <string>

#include <gtest/gtest.h>

// True when node and tests/node/node_modules/ajv (+ ajv-formats) are there; otherwise *why says
// what is missing and how to install it.
bool SchemaValidatorAvailable(std::string* why = nullptr);

// Validates `json_file` against `schema`: "cyclonedx-1.6", "spdx-2.3", "sarif-2.1.0" or "openvex".
// A failure carries the validator's errors. When node or ajv is missing, the calling test is marked
// skipped (GTEST_SKIP, with the reason) and the result is success, so
//   EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", path));
// reads the same whether the validator ran or not.
::testing::AssertionResult ValidatesAgainstSchema(const std::string& schema, const std::string& json_file);
