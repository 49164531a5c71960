import CSpeakerShims

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.0 GET (plain http), enough to ask a local API whether it answers 2xx.
enum HTTPProbe {
    static func get(_ url: String, timeoutMs: Int) -> CheckResult {
        guard url.hasPrefix("http://") else {
            return CheckResult(passed: false, detail: "\(url): only http:// is supported")
        }
        let rest = url.dropFirst("http://".count)
        let hostPort = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(hostPort.count)
        let parts = hostPort.split(separator: ":", maxSplits: 1)
        let host = String(parts.first ?? "")
        let port = parts.count > 1 ? String(parts[1]) : "80"
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &res) == 0, let ai = res else {
            return CheckResult(passed: false, detail: "\(url): cannot resolve \(host)")
        }
        defer { freeaddrinfo(res) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return CheckResult(passed: false, detail: "\(url): socket failed") }
        defer { close(fd) }
        let deadline = ospf_monotonic_ns() + Int64(timeoutMs) * 1_000_000
        func waitFor(_ events: Int16) -> Bool {
            let left = Int32(clamping: max(0, (deadline - ospf_monotonic_ns()) / 1_000_000))
            var p = pollfd(fd: fd, events: events, revents: 0)
            return poll(&p, 1, left) > 0 && p.revents & events != 0
        }
        if connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) < 0 && errno != EINPROGRESS {
            return CheckResult(passed: false, detail: "\(url): connect: \(String(cString: strerror(errno)))")
        }
        guard waitFor(Int16(POLLOUT)) else { return CheckResult(passed: false, detail: "\(url): connect timed out") }
        var soError: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
        guard soError == 0 else {
            return CheckResult(passed: false, detail: "\(url): connect: \(String(cString: strerror(soError)))")
        }
        let request = Array(
            "GET \(path.isEmpty ? "/" : path) HTTP/1.0\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while response.count < 64, waitFor(Int16(POLLIN)) {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            response += chunk[0..<n]
        }
        let line = String(decoding: response.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let code = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        guard let code else {
            return CheckResult(passed: false, detail: "\(url): no HTTP status line within \(timeoutMs) ms")
        }
        return CheckResult(passed: (200..<300).contains(code), detail: "\(url): \(line)")
    }
}
