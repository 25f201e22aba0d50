import Testing
@testable import LossFitReports

@Suite struct TextTableTests {
    @Test func alignsColumns() {
        var table = TextTable(headers: ["curve", "points"])
        table.append(["cosine_24000", "171"])
        table.append(["c", "9"])
        #expect(table.render() == """
            curve         points
            ────────────  ──────
            cosine_24000     171
            c                  9
            """)
    }

    @Test func significantDigits() {
        #expect(NumberFormat.significant(2.679823, digits: 4) == "2.680")
        #expect(NumberFormat.significant(0.000123456, digits: 3) == "1.23e-04")
        #expect(NumberFormat.significant(0) == "0")
        #expect(NumberFormat.duration(0.0123) == "12.30 ms")
    }
}
