/// Lets one log line per key through per interval; counts the rest.
struct RateLimiter {
    var interval: Int64 = 10_000_000_000
    private var last: [String: Int64] = [:]
    private(set) var suppressed: [String: Int] = [:]

    /// Whether to log now; when it does, returns how many were suppressed since.
    mutating func allow(_ key: String, now: Int64) -> (Bool, Int) {
        if let t = last[key], now - t < interval {
            suppressed[key, default: 0] += 1
            return (false, 0)
        }
        last[key] = now
        let n = suppressed.removeValue(forKey: key) ?? 0
        return (true, n)
    }
}
