using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;

namespace QcdcCompliance.Import;

/// <summary>
/// A filled reporting template (<c>qcdc template</c>), XLSX or CSV: one row per unit, one column per indicator, under a
/// code row <c>unit_code, unit_name, period, INDICATOR…</c> (the Vietnamese names may stand in rows above it). It is read
/// as the rows of the long format (<see cref="ValueImporter.Schema"/>), one per filled cell, so that the one import path
/// checks and stores it; an empty cell is not reported (never zero). A problem is named by its cell as the user sees it
/// (<c>'Số liệu'!F7</c>, or row:column in CSV), with the row's unit and the column's indicator.
/// </summary>
public static class WideValueTable
{
    public const string UnitColumn = "unit_code";
    public const string NameColumn = "unit_name";
    public const string PeriodColumn = "period";

    /// <summary>How far down the code row may stand (the template puts the names in row 1 and the codes in row 2).</summary>
    public const int MaxHeaderRow = 10;

    /// <summary>A long row's number is the cell's: row × Stride + column, so that every problem finds its cell again.</summary>
    private const int Stride = 1024;

    /// <summary>The file as long rows, or null when it is no template (no code row starting the layout): then it is read as the long format.</summary>
    public static Table? TryRead(string file, byte[] bytes, ImportLimits limits, CancellationToken ct)
    {
        var format = TableReader.Detect(file, bytes);
        if (format == FileFormat.Json)
            return null;

        var layout = new Layout(format == FileFormat.Xlsx);
        var problems = new ProblemList(file, limits.MaxProblems) { Locate = layout.Locate };
        IEnumerable<GridRow> grid;
        if (format == FileFormat.Xlsx)
            (layout.Sheet, grid) = XlsxTable.Grid(bytes, problems, limits, ct);
        else
            grid = CsvTable.Grid(bytes, problems, limits, ct);

        var rows = grid.GetEnumerator();
        GridRow? header = null;
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (row.Number > MaxHeaderRow)
                break;
            if (row.Cells.Any(c => HeaderMatcher.Normalise(c) == UnitColumn))
            {
                header = row;
                break;
            }
        }

        if (header is not { } codes || codes.Cells.Any(c => HeaderMatcher.Normalise(c) is "indicator" or "value"))
        {
            rows.Dispose();
            return null;
        }

        layout.Read(codes, problems);
        return new Table(file, ValueImporter.Schema, layout.Rows(rows, problems, limits), problems)
        {
            Numbers = format == FileFormat.Xlsx ? NumberConvention.DecimalPointUnsure : CsvTable.NumbersOf(bytes),
        };
    }

    /// <summary>The columns of the code row, and the units of the rows read so far (to name them in problems).</summary>
    private sealed class Layout(bool workbook)
    {
        private readonly Dictionary<int, string> _unitOfRow = [];
        private readonly Dictionary<string, int> _rowOfUnit = new(StringComparer.Ordinal);
        private string?[] _indicators = [];
        private bool[] _named = [];
        private int _unitColumn = -1;
        private int _periodColumn = -1;
        private int _headerRow;

        public string Sheet { get; set; } = "Sheet1";

        public void Read(GridRow codes, ProblemList problems)
        {
            _headerRow = codes.Number;
            _indicators = new string?[codes.Cells.Length];
            _named = new bool[codes.Cells.Length];
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var c = 0; c < codes.Cells.Length; c++)
            {
                var name = HeaderMatcher.Normalise(codes.Cells[c]);
                switch (name)
                {
                    case "":
                        continue;
                    case NameColumn:
                        _named[c] = true;
                        continue;
                    case UnitColumn when _unitColumn < 0:
                        _unitColumn = c;
                        continue;
                    case PeriodColumn when _periodColumn < 0:
                        _periodColumn = c;
                        continue;
                    case UnitColumn or PeriodColumn:
                        problems.Add(At(_headerRow, c), "indicator", $"column '{name}' appears twice; keep one");
                        continue;
                }

                var code = Text.Code(codes.Cells[c])!;
                if (IndicatorCatalogue.Find(code) is not { } indicator)
                {
                    problems.Add(At(_headerRow, c), "indicator", $"'{code}' in the code row is no indicator; see the catalogue (qcdc indicators), or download the template again");
                    continue;
                }

                if (seen.TryGetValue(indicator.Code, out var first))
                {
                    problems.Add(At(_headerRow, c), "indicator", $"{indicator.Code} has two columns ({Letters(first)} and {Letters(c)}); keep one");
                    continue;
                }

                seen[indicator.Code] = c;
                _indicators[c] = indicator.Code;
            }

            if (_periodColumn < 0)
                problems.Add(At(_headerRow, 0), "indicator", $"the code row has no '{PeriodColumn}' column (the period of every row, e.g. 2025S1); download the template again");
        }

        public IEnumerable<TableRow> Rows(IEnumerator<GridRow> rows, ProblemList problems, ImportLimits limits)
        {
            using (rows)
            {
                if (problems.Any)
                    yield break;
                while (rows.MoveNext())
                {
                    var row = rows.Current;
                    if (row.Number > int.MaxValue / Stride - 1)
                    {
                        problems.Add(0, "", $"the file has more than {int.MaxValue / Stride - 1:N0} rows; split it");
                        yield break;
                    }

                    var unitText = Cell(row, _unitColumn);
                    var unit = Text.Code(unitText);
                    var periodText = Cell(row, _periodColumn);
                    var refused = false;
                    if (unit is not null)
                    {
                        _unitOfRow[row.Number] = unit;
                        if (!_rowOfUnit.TryAdd(unit, row.Number))
                        {
                            problems.Add(At(row.Number, _unitColumn), UnitColumn, $"unit {unit} has a row already (row {_rowOfUnit[unit]}); keep one row per unit");
                            continue;
                        }
                    }

                    for (var c = 0; c < row.Cells.Length; c++)
                    {
                        // The unit's name is the reader's, never read (nor normalised: Vietnamese text costs a call into ICU).
                        if (c == _unitColumn || c == _periodColumn || (c < _named.Length && _named[c]) || Text.Clean(row.Cells[c]) is not { } value)
                            continue;
                        var code = c < _indicators.Length ? _indicators[c] : null;
                        if (code is null)
                        {
                            problems.Add(At(row.Number, c), "value", $"'{Shorten(value)}' stands under no indicator (the code row names none above it); remove it");
                            continue;
                        }

                        if (value.Length > limits.MaxCellLength)
                        {
                            problems.Add(At(row.Number, c), "value", $"a cell is {value.Length} characters long; the limit is {limits.MaxCellLength}");
                            continue;
                        }

                        if (unit is null)
                        {
                            refused = true;
                            continue;
                        }

                        yield return new TableRow(At(row.Number, c), [unitText, periodText, code, value, null]);
                    }

                    if (refused)
                        problems.Add(At(row.Number, _unitColumn), UnitColumn, "the row has figures but no unit code; write the unit's code (column unit_code) or remove the row");
                }
            }
        }

        /// <summary>Where a problem of a long row is: the cell the row came from, or the unit's or period's cell of its row.</summary>
        public ImportProblem Locate(ImportProblem problem)
        {
            if (problem.Row < Stride || problem.Column is not (UnitColumn or PeriodColumn or "indicator" or "value" or "comment"))
                return problem;
            var row = problem.Row / Stride;
            var column = problem.Column switch
            {
                UnitColumn when _unitColumn >= 0 => _unitColumn,
                PeriodColumn when _periodColumn >= 0 => _periodColumn,
                _ => problem.Row % Stride,
            };
            var indicator = problem.Column is UnitColumn or PeriodColumn ? null
                : problem.Row % Stride < _indicators.Length ? _indicators[problem.Row % Stride] : null;
            var unit = row == _headerRow ? null : _unitOfRow.GetValueOrDefault(row);
            var cell = workbook ? XlsxTable.CellReference(Sheet, Letters(column), row) : $"{row}:{column + 1}";
            var about = (unit, indicator) switch
            {
                ({ } u, { } i) => $"{u}, {i}: ",
                ({ } u, null) => $"{u}: ",
                (null, { } i) => $"{i}: ",
                _ => "",
            };
            return problem with
            {
                Row = row, Column = Letters(column), Message = about + problem.Message, Cell = cell, Unit = unit, Indicator = indicator,
            };
        }

        private static string? Cell(GridRow row, int column) => column >= 0 && column < row.Cells.Length ? row.Cells[column] : null;

        private static int At(int row, int column) => row * Stride + column;

        private static string Letters(int column) => XlsxTable.ColumnName(column);

        private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
    }
}
