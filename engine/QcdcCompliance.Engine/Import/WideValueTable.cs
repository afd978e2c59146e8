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
        var problems = new ProblemList(file, limits.MaxProblems) { Locate = layout.Locate, Repeats = layout.Repeats };
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
            Blanks = layout.Blanks,
            Numbers = format == FileFormat.Xlsx ? NumberConvention.DecimalPointUnsure : CsvTable.NumbersOf(bytes),
        };
    }

    /// <summary>The columns of the code row, and the units of the rows read so far (to name them in problems).</summary>
    private sealed class Layout(bool workbook)
    {
        private readonly Dictionary<int, string> _unitOfRow = [];
        private readonly Dictionary<string, int> _rowOfUnit = new(StringComparer.Ordinal);
        private readonly HashSet<(string Column, string Message)> _saidOfRow = [];
        private int _saidRow = -1;
        private string?[] _indicators = [];
        private bool[] _named = [];
        private int _unitColumn = -1;
        private int _periodColumn = -1;
        private int _headerRow;

        public string Sheet { get; set; } = "Sheet1";

        /// <summary>The empty indicator cells of each row read with a unit and a period (see <see cref="Table.Blanks"/>).</summary>
        public List<BlankCells> Blanks { get; } = [];

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

                    if (TotalsLabelOf(row) is { } totals)
                    {
                        // Said once, at its label: a totals row is no unit to correct (its code, its period), but a row to delete.
                        problems.Add(At(row.Number, totals.Column), totals.Column == _unitColumn ? UnitColumn : "value", TotalsLabel.Refusal(totals.Label));
                        continue;
                    }

                    // A formula without its result in the unit's or the period's cell leaves the row's figures nobody's: said of that cell alone.
                    var unitFormula = row.UncomputedAt(_unitColumn);
                    var periodFormula = row.UncomputedAt(_periodColumn);
                    if (unitFormula is not null)
                        problems.Add(At(row.Number, _unitColumn), UnitColumn, XlsxTable.Uncomputed(unitFormula));
                    if (periodFormula is not null)
                        problems.Add(At(row.Number, _periodColumn), PeriodColumn, XlsxTable.Uncomputed(periodFormula));
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

                    if (unit is not null && Text.Clean(periodText) is { } period && periodFormula is null)
                    {
                        var blank = new List<string>();
                        for (var c = 0; c < _indicators.Length; c++)
                        {
                            if (_indicators[c] is { } indicator && row.UncomputedAt(c) is null && (c >= row.Cells.Length || Text.Clean(row.Cells[c]) is null))
                                blank.Add(indicator);
                        }

                        if (blank.Count > 0)
                            Blanks.Add(new BlankCells(unit, period, blank));
                    }

                    for (var c = 0; c < row.Cells.Length; c++)
                    {
                        // The unit's name is the reader's, never read (nor normalised: Vietnamese text costs a call into ICU).
                        if (c == _unitColumn || c == _periodColumn || (c < _named.Length && _named[c]))
                            continue;
                        if (row.UncomputedAt(c) is { } formula)
                        {
                            problems.Add(At(row.Number, c), "value", XlsxTable.Uncomputed(formula));
                            continue;
                        }

                        if (Text.Clean(row.Cells[c]) is not { } value)
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

                        if (periodFormula is null)
                            yield return new TableRow(At(row.Number, c), [unitText, periodText, code, value, null]);
                    }

                    if (refused && unitFormula is null)
                        problems.Add(At(row.Number, _unitColumn), UnitColumn, "the row has figures but no unit code; write the unit's code (column unit_code) or remove the row");
                }
            }
        }

        /// <summary>
        /// The label of a totals row that holds figures (<see cref="TotalsLabel"/>) and its column: in the unit's cell, or in the
        /// name's when the unit's is empty. A label in the unit's cell that is also a valid code is a unit's when the row has a
        /// period, as every unit's row of a template has (a unit coded TONG is a unit).
        /// </summary>
        private (int Column, string Label)? TotalsLabelOf(GridRow row)
        {
            var label = Text.Clean(Cell(row, _unitColumn));
            var column = _unitColumn;
            if (label is not null)
            {
                if (!TotalsLabel.Is(label) || (Text.IsValidCode(Text.Code(label)!) && Text.Clean(Cell(row, _periodColumn)) is not null))
                    return null;
            }
            else
            {
                for (var c = 0; c < _named.Length && label is null; c++)
                {
                    if (_named[c] && TotalsLabel.Is(Cell(row, c)))
                        (label, column) = (Text.Clean(Cell(row, c)), c);
                }

                if (label is null)
                    return null;
            }

            for (var c = 0; c < row.Cells.Length; c++)
            {
                if (c < _indicators.Length && _indicators[c] is not null && (row.UncomputedAt(c) is not null || Text.Clean(row.Cells[c]) is not null))
                    return (column, label);
            }

            return null;
        }

        /// <summary>
        /// Whether the problem was said already of its row's unit or period: each filled cell of a row is checked as a row of
        /// its own, and a problem of the row's unit (its code, unknown, not active) or period (empty, not one) is the row's.
        /// The rows are checked in order, so only the current row's are kept.
        /// </summary>
        public bool Repeats(ImportProblem problem)
        {
            if (problem.Row < Stride || problem.Column is not (UnitColumn or PeriodColumn))
                return false;
            if (problem.Row / Stride != _saidRow)
            {
                _saidOfRow.Clear();
                _saidRow = problem.Row / Stride;
            }

            return !_saidOfRow.Add((problem.Column, problem.Message));
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
