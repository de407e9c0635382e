import XCTest
final class PlaceholderEvolutionTests: XCTestCase { func testNothing() {} }
