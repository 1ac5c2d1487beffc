using Askel.App.Messaging;

namespace Askel.App.Summaries.Rendering;

/// <summary>The monthly summary as an email: subject, HTML and text bodies, the inline chart and the XLSX and CSV files.</summary>
public sealed record SummaryMail(string Subject, string Html, string Text, IReadOnlyList<MailAttachment> Attachments);
