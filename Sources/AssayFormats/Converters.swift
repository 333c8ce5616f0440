import AssayValues

/// The converters by format: each turns a file's bytes into the same `ConvertedText`.
public enum Converters {
    /// Converts `bytes` of `format` (not `.text`, which the text decoder reads) within `limits`; `progress`
    /// is called as the conversion makes headway (after each page of a PDF).
    public static func convert(
        _ format: SourceFormat, _ bytes: [UInt8], limits: ConversionLimits, progress: () -> Void = {}
    ) throws(ConversionFailure) -> ConvertedText {
        switch format {
        case .text: throw ConversionFailure("plain text is read by the text decoder, not converted")
        case .html: return try HTMLText.convert(bytes)
        case .docx: return try DOCXText.convert(bytes, limits: limits)
        case .pdf: return try PDFText.convert(bytes, limits: limits, progress: progress)
        case .ofd: return try OFDText.convert(bytes, limits: limits)
        }
    }

    /// The format of an input by its content and name (`InputFormat.detect`, zips listed by `ZipPackage`).
    public static func detect(_ bytes: [UInt8], name: String) -> InputFormat.Detected {
        InputFormat.detect(bytes, name: name, zipEntries: ZipPackage.entryNames)
    }
}
