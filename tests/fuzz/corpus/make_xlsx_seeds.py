#!/usr/bin/env python3
"""Write the seed workbooks of tests/fuzz/fuzz_xlsx (small, under the fuzzer's 4 KiB
max_len): the parts Excel and LibreOffice write, shared and inline strings, numbers
with float noise, a title row, a computed row. Run from the repository root."""
import os
import zipfile

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>')
WB = f'<workbook {NS}><sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>'
SST = (f'<sst {NS}><si><t>code</t></si><si><t>description</t></si><si><t>amount</t></si>'
       '<si><r><t>Teach</t></r><r><t>ers</t></r></si><si><t>computed</t></si><si><t>yes</t></si></sst>')


def sheet(rows):
    return f'<worksheet {NS}><sheetData>{rows}</sheetData></worksheet>'


def write(name, rows, method=zipfile.ZIP_DEFLATED):
    path = os.path.join('tests/fuzz/corpus/fuzz_xlsx', name)
    with zipfile.ZipFile(path, 'w', method) as z:
        z.writestr('xl/workbook.xml', WB)
        z.writestr('xl/_rels/workbook.xml.rels', RELS)
        z.writestr('xl/sharedStrings.xml', SST)
        z.writestr('xl/worksheets/sheet1.xml', sheet(rows))


HEAD = ('<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c>'
        '<c r="D2" t="s"><v>4</v></c></row>')
write('good.xlsx', '<row r="1"><c r="A1" t="inlineStr"><is><t>Budget</t></is></c></row>' + HEAD +
      '<row r="3"><c r="A3" t="inlineStr"><is><t>E01</t></is></c><c r="B3" t="s"><v>3</v></c>'
      '<c r="C3"><v>1234.5600000000001</v></c></row>'
      '<row r="4"><c r="A4" t="str"><f>"I01"</f><v>I01</v></c><c r="C4"><v>-4.9999999999999996E-2</v></c></row>'
      '<row r="5"><c r="A5" t="inlineStr"><is><t>INT05</t></is></c><c r="C5"><v>7</v></c>'
      '<c r="D5" t="s"><v>5</v></c></row>')
write('stored.xlsx', HEAD + '<row r="3"><c r="A3" t="inlineStr"><is><t>E16</t></is></c><c r="C3"><v>1E-3</v></c>'
      '<c r="B3" t="b"><v>1</v></c></row>', zipfile.ZIP_STORED)
write('errors.xlsx', HEAD + '<row r="3"><c r="A3" t="e"><v>#N/A</v></c><c r="C3" t="s"><v>9</v></c></row>')
