import Testing
@testable import AssayCore
