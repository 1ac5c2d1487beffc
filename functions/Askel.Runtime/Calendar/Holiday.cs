namespace Askel.Runtime.Calendar;

/// <summary>A Finnish public holiday or de-facto day off.</summary>
/// <param name="Date">The day.</param>
/// <param name="FinnishName">Its Finnish name, e.g. <c>juhannuspäivä</c>.</param>
/// <param name="EnglishName">Its English name, e.g. <c>Midsummer Day</c>.</param>
/// <param name="IsOfficialHoliday">
/// True for a holiday in law (<c>pyhäpäivä</c>); false for a day that is off in practice only
/// (Midsummer Eve, Christmas Eve).
/// </param>
public sealed record Holiday(DateOnly Date, string FinnishName, string EnglishName, bool IsOfficialHoliday);
