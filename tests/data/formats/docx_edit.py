"""Small XML edits of a pandoc-made .docx for the Word features pandoc cannot write.

Run by make.sh after pandoc (needs lxml: `PYTHON=/work/venv/bin/python sh make.sh`).
The Markdown source asks for an edit with a directive word, which the edit removes:

- a note starting with `EDIT:endnote` becomes a Word endnote: moved from word/footnotes.xml to a
  new word/endnotes.xml (with separator and continuation-separator notes, its relationships
  part, a content type and a document relationship), its body reference becoming
  `w:endnoteReference`, as Word writes them;
- a note starting with `EDIT:mark=X` gets the custom mark X: `w:customMarkFollows="1"` on the
  reference, followed by X in the same run, and X in place of `w:footnoteRef` in the note;
- a link whose text starts with `EDIT:fldsimple` becomes a `w:fldSimple` HYPERLINK field, and
  one starting with `EDIT:fld` a complex field (`w:fldChar` begin/separate/end) whose
  `w:instrText` is split over two runs, as Word splits long field codes; both drop the
  hyperlink relationship, so the URL is only in the field code;
- a body paragraph `EDIT:page-numbers` is removed and the page gets a footer printing the page
  number (a centred `PAGE` field), as most reports have.

A document without directives is written back unchanged.
"""

from __future__ import annotations

import copy
import re
import sys
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
ENDNOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
ENDNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
FOOTER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
FOOTER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
DIRECTIVE = re.compile(r"^\s*EDIT:(\S+)\s*")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def main(path: str) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    if b"EDIT:" not in parts.get("word/document.xml", b"") + parts.get("word/footnotes.xml", b""):
        return
    xml = {
        n: etree.fromstring(parts[n])
        for n in (
            "word/document.xml",
            "word/footnotes.xml",
            "word/_rels/document.xml.rels",
            "word/_rels/footnotes.xml.rels",
            "[Content_Types].xml",
        )
    }
    doc, foot = xml["word/document.xml"], xml["word/footnotes.xml"]
    all_rels = [xml["word/_rels/document.xml.rels"], xml["word/_rels/footnotes.xml.rels"]]
    for tree, rels in ((doc, all_rels[0]), (foot, all_rels[1])):
        fields(tree, rels, all_rels)
    endnotes = note_edits(doc, foot, xml)
    if page_numbers(doc, xml):
        parts["word/footer1.xml"] = serialize(footer(doc.nsmap))
    if endnotes is not None:
        parts["word/endnotes.xml"] = serialize(endnotes[0])
        parts["word/_rels/endnotes.xml.rels"] = serialize(endnotes[1])
    for name, tree in xml.items():
        parts[name] = serialize(tree)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def serialize(tree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def note_directive(note) -> str | None:
    """The directive at the start of a note's text, removed from it."""
    for t in note.iter(w("t")):
        if not (t.text or "").strip():
            continue
        m = DIRECTIVE.match(t.text)
        if not m:
            return None
        t.text = t.text[m.end() :]
        if not t.text:  # the space after the directive is pandoc's next run: drop it too
            nxt = t.getparent().getnext()
            if nxt is not None and "".join(nxt.itertext()).strip() == "":
                nxt.getparent().remove(nxt)
        return m.group(1)
    return None


def reference(doc, note_id: str):
    return doc.xpath(f"//w:footnoteReference[@w:id='{note_id}']", namespaces={"w": W})[0]


def note_edits(doc, foot, xml):
    """Applies the note directives; returns the new endnotes part and its relationships (or
    None when no note became an endnote)."""
    endnotes = []
    for note in foot.findall(w("footnote")):
        directive = note_directive(note) if note.get(w("type")) is None else None
        if directive == "endnote":
            endnotes.append(note)
        elif directive and directive.startswith("mark="):
            custom_mark(doc, note, directive[len("mark=") :])
    return endnotes_part(doc, foot, endnotes, xml) if endnotes else None


def custom_mark(doc, note, mark: str) -> None:
    """Word's custom mark: the reference run prints the mark after the reference, and the note
    starts with the mark as text where `w:footnoteRef` would print the number."""
    ref = reference(doc, note.get(w("id")))
    ref.set(w("customMarkFollows"), "1")
    ref.addnext(etree.Element(w("t")))
    ref.getnext().text = mark
    own = note.find(f".//{w('footnoteRef')}")
    own.tag, own.text = w("t"), mark


def endnotes_part(doc, foot, moved: list, xml):
    """Moves `moved` notes into a new endnotes part, with Word's two separator notes."""
    endnotes = etree.Element(w("endnotes"), nsmap=foot.nsmap)
    for sep_type, sep_id in (("separator", "-1"), ("continuationSeparator", "0")):
        sep = etree.SubElement(endnotes, w("endnote"), {w("type"): sep_type, w("id"): sep_id})
        etree.SubElement(etree.SubElement(etree.SubElement(sep, w("p")), w("r")), w(sep_type))
    rels = etree.Element(f"{{{PR}}}Relationships", nsmap={None: PR})
    foot_rels = {r.get("Id"): r for r in xml["word/_rels/footnotes.xml.rels"]}
    for note in moved:
        foot.remove(note)
        note.tag = w("endnote")
        for ref in note.iter(w("footnoteRef")):
            ref.tag = w("endnoteRef")
        endnotes.append(note)
        for link in note.iter(w("hyperlink")):
            rid = link.get(f"{{{R}}}id")
            if rid in foot_rels:
                rels.append(copy.deepcopy(foot_rels[rid]))
        reference(doc, note.get(w("id"))).tag = w("endnoteReference")
    doc_rels = xml["word/_rels/document.xml.rels"]
    etree.SubElement(
        doc_rels,
        f"{{{PR}}}Relationship",
        {"Type": ENDNOTES_TYPE, "Id": "rIdEndnotes", "Target": "endnotes.xml"},
    )
    etree.SubElement(
        xml["[Content_Types].xml"],
        f"{{{CT}}}Override",
        {"PartName": "/word/endnotes.xml", "ContentType": ENDNOTES_CT},
    )
    return endnotes, rels


def page_numbers(doc, xml) -> bool:
    """Removes an `EDIT:page-numbers` paragraph and refers the section to a footer."""
    for p in doc.iter(w("p")):
        if "".join(t.text or "" for t in p.iter(w("t"))).strip() == "EDIT:page-numbers":
            p.getparent().remove(p)
            break
    else:
        return False
    sect = doc.find(f"{w('body')}/{w('sectPr')}")
    sect.insert(
        0, etree.Element(w("footerReference"), {w("type"): "default", f"{{{R}}}id": "rIdFooter"})
    )
    etree.SubElement(
        xml["word/_rels/document.xml.rels"],
        f"{{{PR}}}Relationship",
        {"Type": FOOTER_TYPE, "Id": "rIdFooter", "Target": "footer1.xml"},
    )
    etree.SubElement(
        xml["[Content_Types].xml"],
        f"{{{CT}}}Override",
        {"PartName": "/word/footer1.xml", "ContentType": FOOTER_CT},
    )
    return True


def footer(nsmap):
    ftr = etree.Element(w("ftr"), nsmap=nsmap)
    p = etree.SubElement(ftr, w("p"))
    etree.SubElement(etree.SubElement(p, w("pPr")), w("jc"), {w("val"): "center"})
    runs = [fld_char("begin"), instr(" PAGE "), fld_char("separate"), fld_char("end")]
    result = etree.Element(w("r"))
    etree.SubElement(result, w("t")).text = "1"
    p.extend([*runs[:3], result, runs[3]])
    return ftr


def fields(tree, rels, all_rels) -> None:
    """Turns `EDIT:fld`/`EDIT:fldsimple` hyperlinks of `tree` into HYPERLINK field codes,
    removing their relationship (pandoc writes note links into both parts' relationships)."""
    targets = {r.get("Id"): r for r in rels}
    for link in list(tree.iter(w("hyperlink"))):
        texts = [t for t in link.iter(w("t")) if t.text]
        m = DIRECTIVE.match(texts[0].text) if texts else None
        if not m or m.group(1) not in ("fld", "fldsimple"):
            continue
        texts[0].text = texts[0].text[m.end() :]
        rid = link.get(f"{{{R}}}id")
        url = targets[rid].get("Target")
        for part in all_rels:
            for rel in part.findall(f"{{{PR}}}Relationship[@Id='{rid}']"):
                part.remove(rel)
        runs = list(link)
        if m.group(1) == "fldsimple":
            field = etree.Element(w("fldSimple"), {w("instr"): f' HYPERLINK "{url}" '})
            field.extend(runs)
            link.addprevious(field)
        else:
            half = len(url) // 2
            codes = [f' HYPERLINK "{url[:half]}', f'{url[half:]}" \\o "{url}" ']
            new = [
                fld_char("begin"),
                *(instr(c) for c in codes),
                fld_char("separate"),
                *runs,
                fld_char("end"),
            ]
            for run in new:
                link.addprevious(run)
        link.getparent().remove(link)


def fld_char(kind: str):
    run = etree.Element(w("r"))
    etree.SubElement(run, w("fldChar"), {w("fldCharType"): kind})
    return run


def instr(code: str):
    run = etree.Element(w("r"))
    el = etree.SubElement(run, w("instrText"))
    el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    el.text = code
    return run


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        main(arg)
