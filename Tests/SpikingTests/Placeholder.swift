import XCTest
final class PlaceholderSpikingTests: XCTestCase { func testNothing() {} }
