// The search box: autocomplete over the entities' labels and aliases (GET /api/v1/entities?q=),
// as an ARIA combobox: arrows move, Enter or a click picks, Escape closes.

import { get } from './api.js';
import { h } from './panel.js';

const MATCHES = {
  exact: 'exact',
  label_prefix: 'label',
  alias_prefix: 'alias',
  substring: 'contains',
};

/**
 * @param {HTMLInputElement} input
 * @param {HTMLUListElement} list
 * @param {(entity: object) => void} onPick
 */
export function searchBox(input, list, onPick) {
  let items = [];
  let active = -1;
  let timer = null;
  let controller = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const highlight = (index) => {
    active = index;
    [...list.children].forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) input.setAttribute('aria-activedescendant', list.children[index].id);
  };

  const pick = (index) => {
    const entity = items[index];
    if (!entity) return;
    close();
    input.value = '';
    onPick(entity);
  };

  const render = (query) => {
    list.replaceChildren(
      ...items.map((entity, index) => {
        const alias = entity.match?.startsWith('alias')
          ? entity.aliases.find((a) => a.toLowerCase().includes(query.toLowerCase()))
          : null;
        return h(
          'li',
          {
            id: `${list.id}-${index}`,
            role: 'option',
            'aria-selected': 'false',
            dataset: { id: entity.id },
            onmousedown: (event) => {
              event.preventDefault();
              pick(index);
            },
          },
          h('span', { class: 'label' }, entity.label),
          alias ? h('span', { class: 'alias' }, ` “${alias}”`) : null,
          h('span', { class: 'type' }, entity.types.map((t) => t.label).join(', ') || MATCHES[entity.match] || ''),
        );
      }),
    );
    if (items.length === 0) list.append(h('li', { class: 'none', role: 'presentation' }, `Nothing is named “${query}”.`));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(items.length ? 0 : -1);
  };

  const lookUp = async () => {
    const query = input.value.trim();
    controller?.abort();
    if (!query) {
      close();
      return;
    }
    controller = new AbortController();
    const signal = controller.signal;
    try {
      const page = await get('/entities', { q: query, limit: 10 });
      if (signal.aborted) return;
      items = page.items;
      render(query);
    } catch (error) {
      if (!signal.aborted) console.warn(error);
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 120);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && items.length) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === 'ArrowUp' && items.length) {
      event.preventDefault();
      highlight((active - 1 + items.length) % items.length);
    } else if (event.key === 'Enter' && !list.hidden && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('focus', () => {
    if (input.value.trim() && items.length) render(input.value.trim());
  });
}
