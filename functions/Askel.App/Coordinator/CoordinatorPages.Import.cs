using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Participants.Import;
using Askel.App.Projects;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

/// <summary>Importing participants from a CSV or XLSX file: upload, a preview with each row's problems, then confirmation.</summary>
public static partial class CoordinatorPages
{
    private const int MaxUploadBytes = ImportFile.MaxBytes + (64 * 1024);
    private const int PreviewedValidRows = 20;

    internal static IResult ImportPage(string projectId, HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        return ClosedRefusal(page, project, context) ?? UploadForm(page, project, null, StatusCodes.Status200OK);
    }

    internal static async Task<IResult> PreviewImportAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantImport import, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxUploadBytes || !context.Request.HasFormContentType)
        {
            return TooLargeOrBad(context, catalog, projectId, antiforgery);
        }

        IFormCollection posted;
        try
        {
            posted = await PostedForms.ReadAsync(context, new FormOptions { MultipartBodyLengthLimit = MaxUploadBytes }, MaxUploadBytes);
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException or AntiforgeryValidationException)
        {
            return BadRequest(context, antiforgery);
        }

        var page = Page(context, antiforgery, posted["lang"]);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        if (ClosedRefusal(page, project, context) is { } closed)
        {
            return closed;
        }

        if (posted.Files.GetFile("file") is not { Length: > 0 and <= ImportFile.MaxBytes } file)
        {
            return UploadForm(page, project, "import-file-missing", StatusCodes.Status422UnprocessableEntity);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var preview = await import.PreviewAsync(project, buffer.ToArray(), UserName(context.User), cancellationToken);
        if (preview is null)
        {
            return UploadForm(page, project, "import-unreadable", StatusCodes.Status422UnprocessableEntity);
        }

        return preview.MissingColumns.Count > 0
            ? UploadForm(page, project, "import-columns-missing", StatusCodes.Status422UnprocessableEntity, string.Join(", ", preview.MissingColumns.Select(c => page.T("import-column-" + c))))
            : PreviewPage(page, project, preview);
    }

    internal static async Task<IResult> ConfirmImportAsync(string projectId, string importId, HttpContext context, ProjectCatalog catalog, ParticipantImport import, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery, casework: true);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;

        return await import.ConfirmAsync(project, importId, posted["sendIntake"] == "on", Enroller(project, context.User), cancellationToken) is { } done
            ? FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}?importing={Number(done.Enrolling)}&skipped={Number(done.Skipped)}"))
            : UploadForm(page, project, "import-expired", StatusCodes.Status410Gone);
    }

    private static IResult TooLargeOrBad(HttpContext context, ProjectCatalog catalog, string projectId, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        return Find(catalog, context.User, projectId) is { } project
            ? UploadForm(page, project, "import-file-missing", StatusCodes.Status413PayloadTooLarge)
            : NotFound(page);
    }

    private static IResult UploadForm(PageContext page, Project project, string? problem, int status, string? detail = null) =>
        new ComponentPage<ImportPage, ImportUpload>(
            page with { Path = $"/coordinator/projects/{project.Id}/import" },
            new ImportUpload(project, problem is null ? null : page.T(problem, ("columns", detail), ("size", Number(ImportFile.MaxBytes / 1024)), ("rows", Number(ImportFile.MaxRows)))),
            status);

    private static IResult PreviewPage(PageContext page, Project project, ImportPreview preview)
    {
        static string Name(ImportRow row) => $"{row.Enrolment.FirstName} {row.Enrolment.LastName}".Trim();
        string Problem(string key) => page.T(key == "language-invalid" ? "import-language-invalid" : key);
        var valid = preview.Rows.Where(r => r.Importable).ToList();
        var problems = preview.Rows.Where(r => !r.Importable)
            .Select(r => new ImportProblemRow(r.Line, Name(r), string.Join(" ", r.Problems.Select(Problem)))).ToList();
        var shown = valid.Take(PreviewedValidRows)
            .Select(r => new ImportValidRow(r.Line, Name(r), LanguageName(r.Enrolment.Language), r.Enrolment.Email ?? "", r.Enrolment.Phone ?? "")).ToList();
        return new ComponentPage<ImportPreviewPage, ImportPreviewView>(
            page with { Path = $"/coordinator/projects/{project.Id}/import" },
            new ImportPreviewView(project, preview.Id, preview.Rows.Count, valid.Count, problems, shown),
            StatusCodes.Status200OK);
    }
}
