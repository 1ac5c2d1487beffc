namespace Askel.Runtime.Calendar;

// TEMPORARY until the calendar branch merges: removed at merge.
public sealed partial record CalendarPolicy
{
    /// <summary>Stub.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset instant) => instant;
}
