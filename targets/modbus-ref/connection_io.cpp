// Per-connection I/O of the event loop: read, frame, answer, send, with backpressure
// (a peer that does not read its answers stops being read from) so that no input can
// make the device buffer without bound, unless a load defect says otherwise.
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "byte_order.hpp"
#include "server.hpp"

namespace pc::modbus_ref {
namespace {

constexpr std::size_t kTxHighWater = 64 * 1024;
// A loop turn reads at most this much from one peer (about 85 short requests), so that a
// flooding peer gets a bounded slice of the loop and the other peers and the scan get
// theirs; what is left stays in the kernel and makes the socket readable again.
constexpr std::size_t kReadPerTurn = 1024;

enum class Received : std::uint8_t { kData, kNoData, kClosed };

Received receive(Connection& conn) {
  const std::size_t space = std::min(conn.rx.size() - conn.rx_used, kReadPerTurn);
  if (space == 0) {
    return Received::kNoData;
  }
  const ssize_t n = ::recv(conn.fd.get(), conn.rx.data() + conn.rx_used, space, 0);
  if (n > 0) {
    conn.rx_used += static_cast<std::size_t>(n);
    conn.last_activity = Clock::now();
    return Received::kData;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    return Received::kNoData;
  }
  return Received::kClosed;  // orderly shutdown or a reset
}

}  // namespace

void Server::on_readable(ConnectionId id) {
  Connection* conn = table_.find(id);
  if (conn == nullptr) {
    return;
  }
  if (on(Defect::kUnboundedRequestQueue)) {
    // Defect unbounded-request-queue: read everything there is, queue every request.
    while (read_some(id, *conn) == ReadResult::kData) {
      if (process_frames(id, *conn) == Framing::kClosed) {
        return;
      }
    }
    return;
  }
  if (read_some(id, *conn) == ReadResult::kClosed) {
    return;
  }
  for (;;) {
    const Framing framing = process_frames(id, *conn);
    if (framing == Framing::kClosed) {
      return;
    }
    // Defect partial-frame-block: wait, blocking everyone, for the rest of the ADU.
    if (framing == Framing::kPartial && on(Defect::kPartialFrameBlock) &&
        wait_for_rest(id, *conn)) {
      continue;
    }
    break;
  }
  if (Connection* still = table_.find(id)) {
    flush(id, *still);
  }
}

// Reads what is there; closes the connection when the peer has gone.
Server::ReadResult Server::read_some(ConnectionId id, Connection& conn) {
  switch (receive(conn)) {
    case Received::kData:
      return ReadResult::kData;
    case Received::kNoData:
      return ReadResult::kNoData;
    case Received::kClosed:
      break;
  }
  close_connection(id);
  return ReadResult::kClosed;
}

Server::Framing Server::process_frames(ConnectionId id, Connection& conn) {
  const bool queueing = on(Defect::kUnboundedRequestQueue);
  std::size_t pos = 0;
  Framing result = Framing::kDone;
  while (pos < conn.rx_used) {
    if (!queueing && conn.tx_pending() > kTxHighWater) {
      break;  // the peer is not reading: leave the rest until it does
    }
    const auto stream = std::span<const std::uint8_t>(conn.rx).subspan(pos, conn.rx_used - pos);
    const Frame frame = next_frame(stream);
    if (frame.kind == Frame::Kind::kNeedMore) {
      result = Framing::kPartial;
      break;
    }
    if (frame.kind == Frame::Kind::kClose) {
      device_.count_comm_error();
      close_connection(id);
      return Framing::kClosed;
    }
    if (frame.kind == Frame::Kind::kDrop) {
      device_.count_comm_error();
    } else {
      const auto pdu = stream.subspan(kMbapHeader, frame.size - kMbapHeader);
      if (queueing) {
        queue_.push_back(Queued{id, frame.transaction, frame.unit, {pdu.begin(), pdu.end()}});
      } else {
        respond(conn, frame.transaction, frame.unit, pdu);
      }
    }
    pos += frame.size;
  }
  std::memmove(conn.rx.data(), conn.rx.data() + pos, conn.rx_used - pos);
  conn.rx_used -= pos;
  rearm(id, conn);
  return result;
}

// --request-cost-us: the CPU a slower controller spends on a request, spent busy so that
// the loop is really occupied (a sleep would let the kernel run the peers instead).
void Server::spend_request_cost() const {
  const auto cost = device_.tuning().request_cost;
  if (cost.count() == 0) {
    return;
  }
  const auto until = Clock::now() + cost;
  while (Clock::now() < until) {
  }
}

bool Server::wait_for_rest(ConnectionId id, Connection& conn) {
  const auto deadline = Clock::now() + device_.tuning().hang;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return false;
    }
    pollfd watch{conn.fd.get(), POLLIN, 0};
    const int ready = ::poll(&watch, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      return false;
    }
    const ReadResult read = read_some(id, conn);
    if (read == ReadResult::kClosed) {
      return false;
    }
    if (read == ReadResult::kData) {
      return true;
    }
  }
}

void Server::respond(Connection& conn, std::uint16_t transaction, std::uint8_t unit,
                     std::span<const std::uint8_t> pdu) {
  spend_request_cost();
  const Reply reply = device_.handle(unit, pdu);
  if (reply.kind() == Reply::Kind::kNone) {
    return;
  }
  if (reply.kind() == Reply::Kind::kException) {
    conn.exception_sent = true;
  }
  append_be16(conn.tx, transaction);
  append_be16(conn.tx, 0);  // protocol id
  append_be16(conn.tx, static_cast<std::uint16_t>(1 + reply.pdu().size()));
  conn.tx.push_back(unit);
  conn.tx.insert(conn.tx.end(), reply.pdu().begin(), reply.pdu().end());
}

void Server::flush(ConnectionId id, Connection& conn) {
  while (conn.tx_pending() > 0) {
    const ssize_t n = ::send(conn.fd.get(), conn.tx.data() + conn.tx_sent, conn.tx_pending(),
                             MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      conn.tx_sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    }
    close_connection(id);
    return;
  }
  if (conn.tx_sent > 0) {
    conn.tx.erase(conn.tx.begin(), conn.tx.begin() + static_cast<std::ptrdiff_t>(conn.tx_sent));
    conn.tx_sent = 0;
  }
  const bool was_paused = !conn.reading;
  rearm(id, conn);
  if (was_paused && conn.reading && conn.rx_used > 0) {
    // Requests left waiting while the peer was not reading: serve them now.
    if (process_frames(id, conn) != Framing::kClosed) {
      if (Connection* still = table_.find(id)) {
        flush(id, *still);
      }
    }
  }
}

void Server::rearm(ConnectionId id, Connection& conn) {
  const bool reading = on(Defect::kUnboundedRequestQueue) || conn.tx_pending() <= kTxHighWater;
  const bool writing = conn.tx_pending() > 0;
  if (reading == conn.reading && writing == conn.writing) {
    return;
  }
  conn.reading = reading;
  conn.writing = writing;
  epoll_event event{};
  event.events = (reading ? EPOLLIN : 0U) | (writing ? EPOLLOUT : 0U);
  event.data.u64 = (std::uint64_t{id.generation} << 32) | id.slot;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, conn.fd.get(), &event);
}

}  // namespace pc::modbus_ref
