using Askel.App.Projects;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Askel.App.Participants.Import;

/// <summary>A confirmed import: which previewed file, its valid lines, and how to enrol them.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="ImportId">The previewed file's id.</param>
/// <param name="Lines">The lines to enrol (valid when confirmed).</param>
/// <param name="SendIntake">Whether the intake link goes out at once (else it is shown in a meeting).</param>
/// <param name="Actor">Who confirmed it.</param>
public sealed record ImportJob(string ProjectId, string ImportId, IReadOnlyList<int> Lines, bool SendIntake, string Actor);

/// <summary>
/// The import as a Durable orchestration: the confirmed lines in batches of <see cref="BatchSize"/>, each an activity,
/// so a thousand rows outlast no request and a restart carries on where it stopped (every row is enrolled by its key).
/// </summary>
public sealed class ImportFunctions(ParticipantImport import, ProjectCatalog projects)
{
    /// <summary>The orchestrator's name.</summary>
    public const string Orchestrator = "participant-import";

    private const string Batch = "participant-import-batch";
    private const string Finish = "participant-import-finish";
    private const int BatchSize = 50;

    /// <summary>Enrols the job's lines batch by batch, then forgets the file and audits the import.</summary>
    [Function(Orchestrator)]
    public async Task<int> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context, ImportJob job)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(job);
        var enrolled = 0;
        foreach (var lines in job.Lines.Chunk(BatchSize))
        {
            enrolled += await context.CallActivityAsync<int>(Batch, job with { Lines = lines });
        }

        await context.CallActivityAsync<bool>(Finish, job with { Lines = [enrolled] });
        return enrolled;
    }

    /// <summary>Enrols one batch of lines; a line enrolled before is found by its key, not enrolled again.</summary>
    [Function(Batch)]
    public async Task<int> EnrolBatchAsync([ActivityTrigger] ImportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return projects.Find(job.ProjectId) is { } project ? await import.EnrolLinesAsync(project, job, cancellationToken) : 0;
    }

    /// <summary>Forgets the uploaded file and audits how many were enrolled (the job's one line number is the count).</summary>
    [Function(Finish)]
    public async Task<bool> FinishAsync([ActivityTrigger] ImportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await import.FinishAsync(job, cancellationToken);
        return true;
    }
}
