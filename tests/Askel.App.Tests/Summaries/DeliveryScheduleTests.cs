using System.Globalization;
using Askel.App.Projects;
using Askel.App.Summaries;
using Cronos;

namespace Askel.App.Tests.Summaries;

/// <summary>When a month's summary is due: 07:00 Helsinki on the first working day of the next month, in winter and summer time.</summary>
public sealed class DeliveryScheduleTests
{
    [Theory]
    [InlineData("2025-12", "2026-01-02T05:00:00Z")] // 1 Jan (New Year's Day), then a Friday; winter: UTC+2
    [InlineData("2026-12", "2027-01-04T05:00:00Z")] // 1 Jan 2027 is a Friday and a holiday, then the weekend
    [InlineData("2026-04", "2026-05-04T04:00:00Z")] // 1 May 2026 (May Day) is a Friday; summer: UTC+3
    [InlineData("2024-03", "2024-04-02T04:00:00Z")] // 1 April 2024 is Easter Monday
    [InlineData("2029-03", "2029-04-03T04:00:00Z")] // Easter Sunday 1 April 2029, Easter Monday the 2nd
    [InlineData("2026-10", "2026-11-02T05:00:00Z")] // 1 November 2026 is a Sunday; winter again
    [InlineData("2026-06", "2026-07-01T04:00:00Z")] // a plain Wednesday in summer time
    [InlineData("2026-02", "2026-03-02T05:00:00Z")] // March begins in winter time (the clocks change on its last Sunday)
    [InlineData("2026-09", "2026-10-01T04:00:00Z")] // October begins in summer time
    [InlineData("2027-12", "2028-01-03T05:00:00Z")] // 1–2 January 2028 are a weekend; Epiphany (the 6th) never reaches a first working day
    public void A_months_summary_is_due_at_0700_helsinki_on_the_first_working_day_of_the_next_month(string month, string due)
    {
        Assert.Equal(DateTimeOffset.Parse(due, CultureInfo.InvariantCulture), SummarySchedule.SendTime(month));
    }

    [Theory]
    [InlineData("2026-11-02T04:59:59Z", "2026-09")] // 06:59:59 in Helsinki: October's is not due yet
    [InlineData("2026-11-02T05:00:00Z", "2026-10")]
    [InlineData("2026-11-01T12:00:00Z", "2026-09")] // a Sunday
    [InlineData("2026-10-31T23:00:00Z", "2026-09")] // already 1 November in Helsinki, a Sunday
    [InlineData("2026-07-01T03:59:59Z", "2026-05")]
    [InlineData("2026-07-01T04:00:00Z", "2026-06")]
    [InlineData("2026-12-31T22:00:00Z", "2026-11")] // New Year's Day in Helsinki
    public void The_latest_month_due(string now, string month)
    {
        Assert.Equal(month, SummarySchedule.LatestDue(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_project_is_due_no_month_after_the_one_it_ends_in()
    {
        var project = new Project("p", "P", "participant-lifecycle", new DateOnly(2026, 8, 31), null, ["c@example.org"], []);

        Assert.Equal("2026-08", SummarySchedule.LatestDue(project, new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2026-07", SummarySchedule.LatestDue(project, new DateTimeOffset(2026, 8, 20, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_closed_project_is_due_the_months_whose_summaries_fall_due_by_its_last_summary_day()
    {
        var project = new Project("p", "P", "participant-lifecycle", new DateOnly(2026, 8, 31), null, ["c@example.org"], [])
        {
            Closed = new ProjectClosure(new DateOnly(2026, 8, 31), new DateOnly(2027, 3, 1)),
        };

        // Past the end month, for the follow-up: February's summary is due at 07:00 on Monday 1 March 2027, the last day.
        Assert.Equal("2026-12", SummarySchedule.LatestDue(project, new DateTimeOffset(2027, 1, 20, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2027-02", SummarySchedule.LatestDue(project, new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2027-02", SummarySchedule.LatestDue(project, new DateTimeOffset(2028, 1, 1, 12, 0, 0, TimeSpan.Zero)));
        // A day earlier, February's is not sent: January's is the last.
        Assert.Equal("2027-01", SummarySchedule.LatestDue(project with { Closed = new ProjectClosure(new DateOnly(2026, 8, 31), new DateOnly(2027, 2, 28)) }, new DateTimeOffset(2028, 1, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Owed_months_follow_the_last_done_and_a_first_run_owes_only_the_latest()
    {
        Assert.Equal(["2026-10"], SummarySchedule.Owed(null, "2026-10"));
        Assert.Equal(["2026-11", "2026-12", "2027-01"], SummarySchedule.Owed("2026-10", "2027-01"));
        Assert.Empty(SummarySchedule.Owed("2026-10", "2026-10"));
    }

    [Fact]
    public void The_hourly_schedule_of_summary_monthly_fires_at_every_send_time_for_years()
    {
        var trigger = typeof(MonthlySummaryFunction).GetMethod(nameof(MonthlySummaryFunction.RunAsync))!.GetParameters()
            .Select(p => p.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.TimerTriggerAttribute), false).SingleOrDefault())
            .OfType<Microsoft.Azure.Functions.Worker.TimerTriggerAttribute>().Single();
        var schedule = CronExpression.Parse(trigger.Schedule, CronFormat.IncludeSeconds);

        for (var month = "2026-01"; string.CompareOrdinal(month, "2031-12") <= 0; month = SummaryCalculator.NextMonth(month))
        {
            var due = SummarySchedule.SendTime(month);
            Assert.Equal(due, schedule.GetNextOccurrence(due.AddSeconds(-1), TimeZoneInfo.Utc));
        }
    }
}
