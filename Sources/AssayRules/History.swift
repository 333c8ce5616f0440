import AssayExtraction
import AssayValues

/// Where a bulletin's series is kept: the store (`StateStore`) in the daemon and in `assay check --state`.
/// The pipeline asks it for the bulletins of the same issuer and series published before the one checked.
public protocol BulletinHistory: Sendable {
    /// The bulletins of `snapshot`'s issuer and series published before it (by publication date, not by
    /// arrival), oldest first; the last is the one `progress` rules compare with. Never the bulletin itself
    /// (the same content hash). A snapshot without issuer or publication date has none.
    func earlier(than snapshot: BulletinSnapshot) throws -> [BulletinSnapshot]
}

/// What `progress` rules compare a bulletin with.
public enum SeriesState: Sendable {
    /// No history is kept for this check (`assay check` without `--state`).
    case notKept
    /// The history could not be read (the store's error).
    case unavailable(String)
    /// The bulletin and the earlier ones of its issuer's series, oldest first (empty for the first).
    case known(current: BulletinSnapshot, earlier: [BulletinSnapshot])

    /// The bulletin compared with, if any: the latest earlier one.
    public var previous: BulletinSnapshot? {
        if case .known(_, let earlier) = self { return earlier.last }
        return nil
    }
}
