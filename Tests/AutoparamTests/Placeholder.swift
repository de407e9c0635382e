import XCTest
final class PlaceholderAutoparamTests: XCTestCase { func testNothing() {} }
