namespace Askel.Runtime.Forms.XlsForms;

/// <summary>
/// Why an XLSForm cannot be imported, pointing at the cell as the spreadsheet shows it: the sheet, the row
/// (1-based, the header being row 1) and the column letter with its header.
/// </summary>
/// <param name="Sheet">The sheet (survey, choices, settings), or null for the workbook as a whole.</param>
/// <param name="Row">The row as the spreadsheet numbers it, or null for the whole sheet.</param>
/// <param name="Column">The column letter (A, B, … AA), or null for the whole row or sheet.</param>
/// <param name="Header">The column's header, e.g. <c>label::English (en)</c>, when there is a column.</param>
/// <param name="Message">What is wrong, in plain words.</param>
/// <param name="Fix">What to do about it.</param>
public sealed record XlsFormProblem(string? Sheet, int? Row, string? Column, string? Header, string Message, string Fix)
{
    /// <summary>One line: <c>survey, row 5, column C 'type': message (fix: …)</c>.</summary>
    public override string ToString()
    {
        var where = Sheet is null ? "workbook" : Sheet;
        if (Row is { } row)
        {
            where += $", row {row}";
        }

        if (Column is not null)
        {
            where += $", column {Column} '{Header}'";
        }

        return $"{where}: {Message} (fix: {Fix})";
    }
}
