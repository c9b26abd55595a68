// Amounts in euros: rates read exactly, conversions rounded to the cent half away from zero,
// with no floating point anywhere.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "domain/eur_amount.hpp"

namespace d = relance::domain;

namespace {

std::int64_t cents(std::int64_t amount, int minor, const char* rate) {
  const auto r = d::parse_eur_rate(rate);
  REQUIRE(r);
  const auto c = d::eur_cents(amount, minor, *r);
  REQUIRE(c);
  return *c;
}

}  // namespace

TEST_CASE("an exchange rate is read exactly and kept in its shortest form", "[domain][eur]") {
  CHECK(d::eur_rate_text(*d::parse_eur_rate("0.92340")) == "0.9234");
  CHECK(d::eur_rate_text(*d::parse_eur_rate("1.0")) == "1");
  CHECK(d::eur_rate_text(*d::parse_eur_rate("007.5")) == "7.5");
  CHECK(d::eur_rate_text(*d::parse_eur_rate("0.000038123456")) == "0.000038123456");  // the dong: 12 decimals
  CHECK(d::eur_rate_text(*d::parse_eur_rate("999999.999999999999")) == "999999.999999999999");
  for (const char* bad : {"", "0", "0.000", "-1", "1e3", ".5", "5.", "1,5", "0.1234567890123", "1000000", "12 ", "abc"}) {
    INFO(bad);
    CHECK_FALSE(d::parse_eur_rate(bad));
  }
}

TEST_CASE("amounts are converted to euro cents, half away from zero", "[domain][eur]") {
  CHECK(cents(100005, 2, "0.9") == 90005);        // 900.045 -> 900.05
  CHECK(cents(100015, 2, "0.9") == 90014);        // 900.135 -> 900.14 (half up, not to even)
  CHECK(cents(100025, 2, "0.9") == 90023);        // 900.225 -> 900.23
  CHECK(cents(1, 2, "0.5") == 1);                 // half a cent -> one cent
  CHECK(cents(1, 2, "0.4999") == 0);              // just below -> nothing
  CHECK(cents(12345, 2, "1") == 12345);           // the euro at 1
}

TEST_CASE("currencies with no decimals or three are converted from their own units", "[domain][eur]") {
  CHECK(cents(1234567, 0, "0.00625") == 771604);  // 1,234,567 JPY = 7716.04375 EUR
  CHECK(cents(1, 0, "0.00625") == 1);             // 0.00625 EUR -> one cent
  CHECK(cents(3, 0, "2") == 600);                 // 0 decimals and a whole rate: scaled up
  CHECK(cents(1234, 3, "2.7") == 333);            // 1.234 KWD = 3.3318 EUR
}

TEST_CASE("big amounts are exact, and too big ones are refused rather than wrapped", "[domain][eur]") {
  // 90 trillion dollars in cents, at a rate with 12 decimals: no drift in the last cent.
  CHECK(cents(9'000'000'000'000'000, 2, "0.923456789012") == 8'311'111'101'108'000);
  CHECK(cents(999'999'999'999'999'999, 2, "0.1") == 100'000'000'000'000'000);
  const auto huge = d::eur_cents(std::numeric_limits<std::int64_t>::max(), 0, *d::parse_eur_rate("2"));
  CHECK_FALSE(huge);
}
