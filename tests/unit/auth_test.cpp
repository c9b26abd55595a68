// Passwords, tokens and the login rate limiter.
#include <catch2/catch.hpp>

#include <thread>

#include "auth/rate_limiter.hpp"
#include "auth/secrets.hpp"

using namespace relance::auth;

TEST_CASE("a password hash verifies the password and nothing else") {
  init_crypto();
  const std::string h = hash_password("correct horse battery");
  CHECK(h.rfind("$argon2id$", 0) == 0);
  CHECK(verify_password(h, "correct horse battery"));
  CHECK_FALSE(verify_password(h, "correct horse batterY"));
}

TEST_CASE("tokens are long, random, and kept only as a hash") {
  init_crypto();
  const std::string a = new_token(), b = new_token();
  CHECK(a.size() == 46);
  CHECK(a.rfind("rl_", 0) == 0);
  CHECK(a != b);
  CHECK(token_hash(a) == token_hash(a));
  CHECK(token_hash(a) != token_hash(b));
  CHECK(token_hash(a).find(a) == std::string::npos);
}

TEST_CASE("the rate limiter makes a key wait after its allowance of failures, then forgets") {
  RateLimiter limiter(3, std::chrono::milliseconds(200));
  for (int i = 0; i < 3; ++i) {
    CHECK(limiter.wait_for("k") == RateLimiter::Clock::duration::zero());
    limiter.record_failure("k");
  }
  CHECK(limiter.wait_for("k") > RateLimiter::Clock::duration::zero());
  CHECK(limiter.wait_for("other") == RateLimiter::Clock::duration::zero());
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  CHECK(limiter.wait_for("k") == RateLimiter::Clock::duration::zero());
}
