/**
 * Exports: the Markdown step list (both languages; packet text escaped) and the annotated SVG
 * (the analysis's diagram plus the notes, well-formed, hostile text escaped, CJK wrapped).
 */
import { describe, expect, it } from 'vitest';
import { annotatedSvg, buildLesson, escapeMarkdown, formatTeach, lessonMarkdown, wrapText } from '../../src/teach/index.js';
import { buildSequenceDiagram } from '../../src/analysis/sequence/index.js';
import { lessonOf } from './helpers.js';

describe('Markdown step list', () => {
  it('lists every step with its frame, gap, states and note, in English and Chinese', async () => {
    const { lesson } = await lessonOf('http-handshake.pcap', { stream: 0 });
    const en = lessonMarkdown(lesson, 'en');
    const zh = lessonMarkdown(lesson, 'zh-CN');
    expect(en.match(/^## Step \d+: frame \d+/gm)!.length).toBe(10);
    expect(zh.match(/^## 第 \d+ 步：帧 \d+/gm)!.length).toBe(10);
    expect(en).toContain('## Step 2: frame 2, SYN, ACK');
    expect(en).toContain(formatTeach(lesson.steps[1].notes[0], 'en'));
    expect(zh).toContain(formatTeach(lesson.steps[1].notes[0], 'zh-CN'));
    expect(en).toContain('- Time since the previous packet: 49 µs');
    expect(en).toContain('- States after it: client TIME_WAIT, server CLOSED *');
    expect(zh).toContain('之后的状态：客户端 TIME_WAIT, 服务器 CLOSED *');
    expect(en).toContain('> **Why three packets and not two?**');
    expect(zh).toContain('> **为什么要三次握手，两次不行吗？**');
  });

  it('escapes packet text', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> *x* [a](b)')).toBe('\\<img src=x onerror=alert\\(1\\)\\> \\*x\\* \\[a\\]\\(b\\)');
  });
});

describe('annotated SVG', () => {
  it('is the diagram plus the notes, taller, well-formed', async () => {
    const { diagram, lesson } = await lessonOf('http-handshake.pcap', { stream: 0 });
    for (const locale of ['en', 'zh-CN']) {
      const svg = annotatedSvg(diagram, lesson, locale);
      expect(svg.startsWith('<?xml')).toBe(true);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
      const h = Number(/<svg[^>]*height="(\d+)"/.exec(svg)![1]);
      expect(svg).toContain(`viewBox="0 0 ${/<svg[^>]*width="(\d+)"/.exec(svg)![1]} ${h}"`);
      expect(h).toBeGreaterThan(900);
      expect(svg).toContain(locale === 'en' ? '>Notes<' : '>讲解<');
      // The notes' wrapped lines, put back together, are the step notes as the UI words them.
      const lines = [...svg.matchAll(/<text x="70" [^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
      const joined = lines.join(locale === 'en' ? ' ' : '');
      for (const step of lesson.steps) expect(joined).toContain(formatTeach(step.notes[0], locale).replace(/ +/g, ' ').slice(0, 20));
      expect(joined).toContain(locale === 'en' ? 'the SYN itself counts as one byte' : '占用一个序号');
      expect((svg.match(/<text /g) ?? []).length).toBe((svg.match(/<\/text>/g) ?? []).length);
    }
  });

  it('escapes hostile text in notes', () => {
    const d = buildSequenceDiagram([{ frame: 1, tsSec: 1, tsNsec: 0, src: 'a', dst: 'b', protocol: 'UDP', info: '<script>alert(1)</script>' }]);
    const svg = annotatedSvg(d, buildLesson(d), 'en');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('wraps Latin text at spaces and Chinese anywhere, counting CJK as double width', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    const zh = wrapText('三次握手的第三步确认了服务器的序列号', 10);
    expect(zh.every((l) => [...l].length <= 5)).toBe(true);
    expect(zh.join('')).toBe('三次握手的第三步确认了服务器的序列号');
  });
});
