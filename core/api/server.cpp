// The only translation unit of the daemon that includes Beast and Asio's networking.
#include "api/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/asio/write.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <limits>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "api/problem_response.hpp"
#include "api/request_message.hpp"
#include "api/response_head.hpp"
#include "api/transfer_coding.hpp"

namespace relance::api {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

bool read_request(http::request<http::string_body>& msg, Request& into) {
  auto target = boost::urls::parse_origin_form(msg.target());
  if (!target) return false;
  // Each field is assigned rather than the request rebuilt: its strings keep their
  // capacity from one request of the connection to the next.
  into.method.assign(msg.method_string());
  target->path(boost::urls::string_token::assign_to(into.path));
  into.query.clear();
  for (auto p : target->params()) into.query.emplace_back(p.key, p.has_value ? p.value : "");
  auto header = [&](auto name, std::string& to) {
    auto it = msg.find(name);
    if (it == msg.end()) to.clear();
    else to.assign(it->value());
  };
  header(http::field::content_type, into.content_type);
  header(http::field::authorization, into.authorization);
  header(http::field::if_match, into.if_match);
  header(http::field::accept, into.accept);
  header(http::field::accept_language, into.accept_language);
  header(http::field::origin, into.origin);
  header(http::field::host, into.host);
  header("Idempotency-Key", into.idempotency_key);
  header("Sec-Fetch-Site", into.fetch_site);
  header(http::field::cookie, into.cookie);
  header(http::field::accept_encoding, into.accept_encoding);
  header("X-Forwarded-Proto", into.forwarded_proto);
  into.body = std::move(msg.body());
  return true;
}
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
// A socket bound to its io_context's own executor type: no type-erased executor to copy
// on every operation.
using Socket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;

namespace {

class Session;

// The metrics series of requests answered by the server itself (Metrics::observe).
const std::string malformed_label = "malformed";  // could not be read, or not taken
const std::string refused_label = "refused";      // its connection was over a limit

// What sessions share: options, router, metrics, the registry used to drain and to shed
// idle connections, and how many connections each client address holds.
struct Shared {
  Shared(const ServerOptions& o, const Router& r, Metrics& m) : options(o), router(r), metrics(m) {}
  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  std::atomic<bool> draining{false};
  std::mutex mu;
  std::unordered_set<Session*> sessions;
  std::unordered_map<std::string, std::size_t> per_client;  // by remote address
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket socket, std::string remote, Shared& shared)
      : socket_(std::move(socket)), home_(socket_.get_executor().context()), shared_(shared),
        remote_(std::move(remote)) {
    std::lock_guard lock(shared_.mu);
    shared_.sessions.insert(this);
    ++shared_.per_client[remote_];
    shared_.metrics.connection_opened();
  }
  ~Session() {
    std::lock_guard lock(shared_.mu);
    shared_.sessions.erase(this);
    if (auto it = shared_.per_client.find(remote_); it != shared_.per_client.end() && --it->second == 0)
      shared_.per_client.erase(it);
    shared_.metrics.connection_closed();
  }

  void start() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }
  // Answers `problem` without reading a request, then closes.
  void start_refused(Problem problem) {
    asio::post(socket_.get_executor(), [self = shared_from_this(), problem = std::move(problem)] {
      self->refuse(problem, refused_label);
    });
  }

  // On the session's strand: close now if waiting for a request.
  void close_if_idle() {
    if (idle_since_.load() != busy) close(tcp::socket::shutdown_both);
  }

  // Shedding (see Impl::shed_oldest_idle). Since when the session waits for a request
  // (a first one, or the next on a keep-alive connection), busy while it has one; read
  // from any thread under Shared::mu.
  static constexpr Clock::rep busy = std::numeric_limits<Clock::rep>::max();
  Clock::rep idle_since() const { return idle_since_.load(); }
  // Marks the session to be shed (under Shared::mu), then sheds it on its strand, unless a
  // request came meanwhile.
  bool marked() const { return shed_.load(); }
  void mark() { shed_ = true; }
  void shed() {
    if (idle_since_.load() != busy) return close(tcp::socket::shutdown_both);
    shed_ = false;
  }
  Socket::executor_type executor() { return socket_.get_executor(); }

  // Timeouts. A deadline is a field the session sets as it starts waiting on its client;
  // its context's sweeper closes the sessions past their deadline (see Impl::sweep).
  // Beast's timed stream armed a timer on every read and write instead, a sizeable part of
  // a read by id's CPU (docs/performance.md, "Figures behind the code").
  // The context the session lives on, fixed at its start: read by every context's sweeper.
  const asio::io_context& home() const { return home_; }
  // On the session's own thread (the sweeper runs there too).
  bool overdue(Clock::time_point now) const { return now >= deadline_; }
  // As Beast's stream did on a timeout: the pending operation ends with an error, and its
  // handler finds the connection closed.
  void time_out() { close(); }

 private:
  void read_header() {
    if (shared_.draining.load()) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.max_header_bytes));
    // The largest limit of any route while the header is read (Beast checks a
    // Content-Length against it then); the route's own once the target is known.
    std::size_t largest = shared_.options.max_body_bytes;
    for (const auto& [prefix, limit] : shared_.options.large_bodies) largest = std::max(largest, limit);
    parser_->body_limit(largest);
    body_limit_ = largest;
    idle_since_ = Clock::now().time_since_epoch().count();
    expire_after(shared_.options.idle_timeout);
    http::async_read_header(socket_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    idle_since_ = busy;
    if (ec) return on_read_error(ec);
    expire_after(shared_.options.request_timeout);
    const auto& req = parser_->get();
    // Where the request ends must be beyond doubt before any of its body is read.
    std::vector<std::string_view> codings;
    for (auto [it, end] = req.equal_range(http::field::transfer_encoding); it != end; ++it)
      codings.push_back(it->value());
    if (auto problem = transfer_coding_problem(codings, req.count(http::field::content_length) > 0, req.version()))
      return refuse(*problem);
    // A route that takes files has its own limit, known once the target is.
    body_limit_ = shared_.options.max_body_bytes;
    for (const auto& [prefix, limit] : shared_.options.large_bodies)
      if (req.target().starts_with(prefix)) body_limit_ = limit;
    parser_->body_limit(body_limit_);
    if (const auto length = parser_->content_length(); length && *length > body_limit_)
      return on_read_error(http::error::body_limit);
    if (auto e = req.find(http::field::expect);
        e != req.end() && beast::iequals(e->value(), "100-continue")) {
      // curl and others wait for this before sending a body larger than 1 KiB.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      return http::async_write(socket_, *cont, [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
        if (wec) return self->close();
        self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) return handle();  // no body (most GETs): nothing more to read
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->on_read_error(ec);
                       self->handle();
                     });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof || ec == asio::error::bad_descriptor)
      return close();
    if (ec == http::error::body_limit)
      return refuse(Problem(Problem::Kind::too_large, "Payload too large", "the body is larger than " + std::to_string(body_limit_) + " bytes"));
    if (ec == http::error::header_limit)
      return refuse(Problem(Problem::Kind::headers_too_large, "Request header fields too large",
                            "the headers are larger than " + std::to_string(shared_.options.max_header_bytes) + " bytes"));
    refuse(Problem::bad_request("malformed HTTP request: " + ec.message()));
  }

  // A malformed or oversized request gets a problem document, then the connection closes:
  // nothing more it sent is read as a request.
  void refuse(const Problem& problem, const std::string& label = malformed_label) {
    Response r = problem_response(problem);
    shared_.metrics.observe(label, r.status, 0);
    send(std::move(r), false, 11);
  }

  void handle() {
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive() && !shared_.draining.load();
    version_ = msg.version();
    if (!read_request(msg, request_)) {
      return send(problem_response(Problem::bad_request("the request target is not a valid path")),
                  false, version_);
    }
    request_.remote_address.assign(remote_);
    expire_never();  // a write may wait for the group commit
    // A read answers at once, on this thread: dispatch runs the send inline. A write
    // answers from the storage writer's thread: dispatch then queues it to ours.
    shared_.router.dispatch(request_, [self = shared_from_this()](Response r) {
      asio::dispatch(self->executor(), [self, r = std::move(r)]() mutable {
        self->send(std::move(r), self->keep_alive_ && !self->shared_.draining.load(), self->version_);
      });
    });
  }

  // A body produced while it is sent: the header, then each piece the producer hands over
  // as a chunk, then the last chunk; a failed body is cut by closing the connection.
  struct Streamed {
    explicit Streamed(http::response<http::empty_body> r, std::shared_ptr<services::BodyStream> b)
        : res(std::move(r)), serializer(res), body(std::move(b)) {}
    ~Streamed() { body->cancel(); }  // the producer stops if the connection went first
    http::response<http::empty_body> res;
    http::response_serializer<http::empty_body> serializer;
    std::shared_ptr<services::BodyStream> body;
    std::string chunk;
  };

  void send_stream(Response r, bool keep_alive, unsigned version) {
    http::response<http::empty_body> res(static_cast<http::status>(r.status), version);
    res.set(http::field::server, "relance");
    if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res.set(k, v);
    res.keep_alive(keep_alive);
    res.chunked(true);
    auto s = std::make_shared<Streamed>(std::move(res), std::move(r.stream));
    expire_after(shared_.options.request_timeout);
    http::async_write_header(socket_, s->serializer, [self = shared_from_this(), s](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->pump(s);
    });
  }

  void pump(const std::shared_ptr<Streamed>& s) {
    s->chunk.clear();
    expire_never();  // no deadline while the producer works
    const auto state = s->body->take(s->chunk, [weak = weak_from_this(), s] {
      if (auto self = weak.lock()) asio::post(self->executor(), [self, s] { self->pump(s); });
    });
    switch (state) {
      case services::BodyStream::State::waiting:
        return;  // woken when the producer has more
      case services::BodyStream::State::data:
        expire_after(shared_.options.request_timeout);  // a client that stops reading
        return asio::async_write(socket_, http::make_chunk(asio::buffer(s->chunk)),
                                 [self = shared_from_this(), s](beast::error_code ec, std::size_t) {
                                   if (ec) return self->close();
                                   self->pump(s);
                                 });
      case services::BodyStream::State::done:
        expire_after(shared_.options.request_timeout);
        return asio::async_write(socket_, http::make_chunk_last(),
                                 [self = shared_from_this(), s](beast::error_code ec, std::size_t) {
                                   if (ec) return self->close();
                                   if (!s->res.keep_alive()) return self->linger_close();
                                   self->read_header();
                                 });
      case services::BodyStream::State::failed: {
        spdlog::warn("{} {}: the response body failed after it began ({}); connection cut", request_.method,
                     request_.path, s->body->failure());
        return close(tcp::socket::shutdown_both);
      }
    }
  }

  void send(Response r, bool keep_alive, unsigned version) {
    if (r.stream) return send_stream(std::move(r), keep_alive, version);
    // Head and body stay in the session until written; their buffers keep their capacity
    // from one response to the next.
    reply_ = std::move(r);
    write_response_head(head_, reply_, reply_.body.size(), keep_alive, version);
    reply_keeps_alive_ = keep_alive;
    expire_after(shared_.options.request_timeout);
    const std::array<asio::const_buffer, 2> wire{asio::buffer(head_), asio::buffer(reply_.body)};
    asio::async_write(socket_, wire, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!self->reply_keeps_alive_) return self->linger_close();
      self->read_header();
    });
  }

  // Closes the connection (again, harmlessly, if it was). `how`: shutdown_both when
  // whatever is left to read or write is abandoned.
  void close(tcp::socket::shutdown_type how = tcp::socket::shutdown_send) {
    deadline_ = Clock::time_point::max();
    boost::system::error_code ec;
    socket_.shutdown(how, ec);
    socket_.close(ec);
  }

  void expire_after(Clock::duration d) {
    // Saturated, as Asio's timers were: a timeout too large to add means never.
    const auto now = Clock::now();
    deadline_ = d >= Clock::time_point::max() - now ? Clock::time_point::max() : now + d;
  }
  void expire_never() { deadline_ = Clock::time_point::max(); }

  // Closing a socket with unread input makes the kernel send a reset, which can destroy
  // the response still in flight (a client sending a body we refused as too large would
  // see "connection reset" instead of our 413). So: stop sending, read and drop what the
  // client still sends, for a bounded time and size, then close.
  void linger_close() {
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    expire_after(std::chrono::seconds(2));
    drain(0);
  }

  void drain(std::size_t so_far) {
    if (so_far > (8u << 20)) return close();
    socket_.async_read_some(asio::buffer(discard_), [self = shared_from_this(), so_far](
                                                        beast::error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->drain(so_far + n);
    });
  }

  Socket socket_;
  const asio::io_context& home_;
  Shared& shared_;
  Clock::time_point deadline_ = Clock::time_point::max();
  beast::flat_buffer buffer_;
  std::array<char, 8192> discard_{};
  std::optional<http::request_parser<http::string_body>> parser_;
  Request request_;
  Response reply_;          // being written
  std::string head_;        // its status line and header fields
  bool reply_keeps_alive_ = true;
  const std::string remote_;
  std::atomic<Clock::rep> idle_since_{busy};
  std::atomic<bool> shed_{false};
  bool keep_alive_ = true;
  std::size_t body_limit_ = 0;  // of the request being read
  unsigned version_ = 11;
};

}  // namespace

// One io_context per thread, each run by its own thread with a concurrency hint of 1: a
// connection lives on one context for its whole life, so its handlers need no strand and
// Asio takes no locks between threads; the only cross-thread hand-off is a write's reply
// coming back from the storage writer.
struct HttpServer::Impl {
  // How often each context looks for sessions past their deadline: timeouts are whole
  // seconds, so they are kept to within a quarter of one.
  static constexpr std::chrono::milliseconds sweep_every{250};

  Impl(const ServerOptions& o, const Router& r, Metrics& m) : shared(o, r, m) {
    const std::size_t n = std::max<std::size_t>(1, o.threads);
    for (std::size_t i = 0; i < n; ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
      keep_running.emplace_back(contexts.back()->get_executor());
      sweepers.push_back(std::make_unique<asio::steady_timer>(*contexts.back()));
    }
    asio::io_context& main = *contexts.front();
    acceptor.emplace(main);
    signals.emplace(main);
    drain_timer.emplace(main);
    tcp::endpoint ep(asio::ip::make_address(o.host), o.port);
    acceptor->open(ep.protocol());
    acceptor->set_option(asio::socket_base::reuse_address(true));
    acceptor->bind(ep);
    acceptor->listen(asio::socket_base::max_listen_connections);
    bound_port = acceptor->local_endpoint().port();
    if (o.handle_signals) {
      signals->add(SIGTERM);
      signals->add(SIGINT);
      signals->async_wait([this](boost::system::error_code ec, int sig) {
        if (ec) return;
        spdlog::info("signal {}: draining requests in flight, then stopping", sig);
        begin_drain();
      });
    }
  }

  void accept() {
    // Connections are spread over the contexts in turn.
    asio::io_context& home = *contexts[next_context++ % contexts.size()];
    acceptor->async_accept(home.get_executor(), [this](boost::system::error_code ec, Socket s) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        spdlog::warn("accept: {}", ec.message());
      } else {
        admit(std::move(s));
      }
      accept();
    });
  }

  // A new connection is served unless its client address holds its share of connections
  // already (503, then closed) or every connection is taken and none waits for a request.
  // At the limit, the connection idle the longest is closed to make room: idle keep-alive
  // connections, however many, never lock the others out.
  void admit(Socket s) {
    boost::system::error_code ec;
    s.set_option(tcp::no_delay(true), ec);
    const auto ep = s.remote_endpoint(ec);
    if (ec) return;  // gone already
    std::string remote = ep.address().to_string();
    std::size_t open, of_client;
    {
      std::lock_guard lock(shared.mu);
      open = shared.sessions.size();
      const auto it = shared.per_client.find(remote);
      of_client = it == shared.per_client.end() ? 0 : it->second;
    }
    const std::size_t per_client = shared.options.max_connections_per_client;
    if (per_client != 0 && of_client >= per_client) {
      if (open >= shared.options.max_connections) {
        s.close(ec);  // no room to say why
        return;
      }
      return std::make_shared<Session>(std::move(s), std::move(remote), shared)
          ->start_refused(Problem(Problem::Kind::unavailable, "Service unavailable",
                                  "too many connections from this address: at most " + std::to_string(per_client) +
                                      " at a time (server.max_connections_per_client)")
                              .with_retry_after(1));
    }
    // Every connection busy: refuse rather than exhaust descriptors.
    if (open >= shared.options.max_connections && !shed_oldest_idle()) {
      s.close(ec);
      return;
    }
    std::make_shared<Session>(std::move(s), std::move(remote), shared)->start();
  }

  // Closes the session that has waited for a request the longest; false when none waits.
  bool shed_oldest_idle() {
    std::shared_ptr<Session> oldest;
    {
      std::lock_guard lock(shared.mu);
      Clock::rep since = Session::busy;
      Session* found = nullptr;
      // Only sessions that have started are idle (see sweep): weak_from_this() is whole.
      for (Session* s : shared.sessions)
        if (const auto t = s->idle_since(); t < since && !s->marked()) since = t, found = s;
      if (found) oldest = found->weak_from_this().lock();
      if (oldest) oldest->mark();
    }
    if (!oldest) return false;
    asio::post(oldest->executor(), [oldest] { oldest->shed(); });
    return true;
  }

  // On the first context: stop accepting, close idle connections, wait for the others.
  void begin_drain() {
    if (shared.draining.exchange(true)) return;
    if (drain_hook) drain_hook();
    boost::system::error_code ec;
    acceptor->close(ec);
    signals->cancel(ec);
    close_idle();
    drain_deadline = std::chrono::steady_clock::now() + shared.options.drain_timeout;
    wait_for_sessions();
  }

  void close_idle() {
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(shared.mu);
      for (Session* s : shared.sessions)
        if (auto sp = s->weak_from_this().lock()) live.push_back(std::move(sp));
    }
    for (auto& s : live) asio::post(s->executor(), [s] { s->close_if_idle(); });
  }

  // On context `i`: times out its sessions past their deadline, then waits for the next round.
  void sweep(std::size_t i) {
    std::vector<std::shared_ptr<Session>> due;
    {
      const auto now = Clock::now();
      std::lock_guard lock(shared.mu);
      // A session enters the set in its constructor, before make_shared has made it
      // shareable, with a deadline of never: overdue() is false for it until it runs,
      // so weak_from_this() is only asked of sessions that are whole.
      for (Session* s : shared.sessions)
        if (&s->home() == contexts[i].get() && s->overdue(now))
          if (auto sp = s->weak_from_this().lock()) due.push_back(std::move(sp));
    }
    for (auto& s : due) s->time_out();
    if (!sweeping.load()) return;
    sweepers[i]->expires_after(sweep_every);
    sweepers[i]->async_wait([this, i](boost::system::error_code ec) {
      if (!ec) sweep(i);
    });
  }

  void finish() {
    sweeping = false;
    for (auto& t : sweepers)  // each on its own context's thread
      asio::post(t->get_executor(), [&t] { t->cancel(); });
    for (auto& guard : keep_running) guard.reset();  // contexts return once idle
  }

  void wait_for_sessions() {
    std::size_t open;
    {
      std::lock_guard lock(shared.mu);
      open = shared.sessions.size();
    }
    if (open == 0) return finish();
    if (std::chrono::steady_clock::now() >= drain_deadline) {
      spdlog::warn("drain timeout: closing {} connection(s) still open", open);
      for (auto& c : contexts) c->stop();
      return;
    }
    close_idle();  // sessions that finished a request since are idle now
    drain_timer->expires_after(std::chrono::milliseconds(50));
    drain_timer->async_wait([this](boost::system::error_code ec) {
      if (!ec) wait_for_sessions();
    });
  }

  // Sessions refer to `shared`: it is declared first so that it outlives the contexts,
  // whose destruction releases the sessions still queued in them.
  Shared shared;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::vector<std::unique_ptr<asio::steady_timer>> sweepers;  // one per context
  std::atomic<bool> sweeping{true};
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  std::optional<asio::steady_timer> drain_timer;
  std::size_t next_context = 0;
  std::chrono::steady_clock::time_point drain_deadline;
  std::uint16_t bound_port = 0;
  std::function<void()> drain_hook;
};

HttpServer::HttpServer(const ServerOptions& options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(options, router, metrics)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const { return impl_->bound_port; }

void HttpServer::run() {
  impl_->accept();
  for (std::size_t i = 0; i < impl_->contexts.size(); ++i)
    asio::post(*impl_->contexts[i], [this, i] { impl_->sweep(i); });
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i)
    threads.emplace_back([this, i] { impl_->contexts[i]->run(); });
  impl_->contexts.front()->run();
  for (auto& t : threads) t.join();
}

void HttpServer::stop() {
  asio::post(*impl_->contexts.front(), [this] { impl_->begin_drain(); });
}

bool HttpServer::draining() const { return impl_->shared.draining.load(); }

void HttpServer::on_drain(std::function<void()> f) { impl_->drain_hook = std::move(f); }

}  // namespace relance::api
