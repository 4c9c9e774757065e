"""The signatures of file formats storylens does not read: the bytes each begins with.

Data only; formats.py reads it. Each row is the parts that must all match (an offset and the
bytes found there) and the format's name as a reject's detail says it. The first row that
matches names the format, so the more particular rows (a WebP image, a Word document) come
before the general ones (a RIFF file, a zip archive). gzip is not here: it is undone when a
file is read, and its content judged.
"""

from __future__ import annotations

Signature = tuple[tuple[tuple[int, bytes], ...], str]

SIGNATURES: tuple[Signature, ...] = (
    # documents
    (((0, b"%PDF-"),), "a PDF document"),
    (((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),),
     "an old Microsoft Office document (OLE: .doc, .xls or .ppt)"),
    (((0, b"SQLite format 3\x00"),), "an SQLite database"),
    # images
    (((0, b"\x89PNG\r\n\x1a\n"),), "a PNG image"),
    (((0, b"\xff\xd8\xff"),), "a JPEG image"),
    (((0, b"GIF87a"),), "a GIF image"),
    (((0, b"GIF89a"),), "a GIF image"),
    (((0, b"RIFF"), (8, b"WEBP")), "a WebP image"),
    (((0, b"II*\x00"),), "a TIFF image"),
    (((0, b"MM\x00*"),), "a TIFF image"),
    (((4, b"ftypheic"),), "a HEIC image"),
    (((4, b"ftypavif"),), "an AVIF image"),
    (((0, b"\x00\x00\x01\x00"),), "an icon image (.ico)"),
    # archives other than gzip
    (((0, b"7z\xbc\xaf\x27\x1c"),), "a 7-Zip archive"),
    (((0, b"Rar!\x1a\x07"),), "a RAR archive"),
    (((0, b"BZh"), (4, b"1AY&SY")), "a bzip2 archive"),
    (((0, b"\xfd7zXZ\x00"),), "an xz archive"),
    (((0, b"\x28\xb5\x2f\xfd"),), "a Zstandard archive"),
    (((257, b"ustar\x00"),), "a tar archive"),
    (((257, b"ustar  \x00"),), "a tar archive"),
    # executables
    (((0, b"\x7fELF"),), "an executable (ELF)"),
    (((0, b"MZ\x90\x00"),), "a Windows executable"),
    (((0, b"MZP\x00"),), "a Windows executable"),
    (((0, b"\xfe\xed\xfa\xce"),), "an executable (Mach-O)"),
    (((0, b"\xfe\xed\xfa\xcf"),), "an executable (Mach-O)"),
    (((0, b"\xce\xfa\xed\xfe"),), "an executable (Mach-O)"),
    (((0, b"\xcf\xfa\xed\xfe"),), "an executable (Mach-O)"),
    (((0, b"\xca\xfe\xba\xbe"),), "an executable (Mach-O universal binary or Java class)"),
    (((0, b"\x00asm"),), "a WebAssembly module"),
    # audio and video
    (((0, b"ID3\x02"),), "an MP3 audio file"),
    (((0, b"ID3\x03"),), "an MP3 audio file"),
    (((0, b"ID3\x04"),), "an MP3 audio file"),
    (((0, b"\xff\xfb"),), "an MP3 audio file"),
    (((0, b"\xff\xf3"),), "an MP3 audio file"),
    (((0, b"OggS"),), "an Ogg audio or video file"),
    (((0, b"fLaC"),), "a FLAC audio file"),
    (((0, b"RIFF"), (8, b"WAVE")), "a WAV audio file"),
    (((0, b"RIFF"), (8, b"AVI ")), "an AVI video"),
    (((4, b"ftyp"),), "an MP4 or QuickTime audio or video file"),
    (((0, b"\x1a\x45\xdf\xa3"),), "a Matroska or WebM video"),
    (((0, b"FLV\x01"),), "a Flash video"),
)

# A zip archive's local file header, and the names inside one that say which kind of office
# document or package it is (a zip's entry names stand in its bytes, uncompressed).
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ZIP_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"word/document.xml", "a Word document (.docx)"),
    (b"xl/workbook.xml", "an Excel workbook (.xlsx)"),
    (b"ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    (b"mimetypeapplication/vnd.oasis.opendocument.text", "an OpenDocument text (.odt)"),
    (b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
     "an OpenDocument spreadsheet (.ods)"),
    (b"mimetypeapplication/vnd.oasis.opendocument.presentation",
     "an OpenDocument presentation (.odp)"),
    (b"mimetypeapplication/epub+zip", "an EPUB book"),
    (b"META-INF/MANIFEST.MF", "a Java archive (.jar)"),
)
ZIP_NAME = "a zip archive"
