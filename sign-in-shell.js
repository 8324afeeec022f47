// Puts index.html's sign-in form on the page before the wasm has arrived: on a slow link the
// form shows, and takes typing, as soon as the page and its CSS have. Herald then takes over
// what was typed, the focus and a press of Sign in (src/pages/login.rs) and removes this one.
//
// Only where Herald would draw that very form: at the deployment's base or its /login, with
// no session stored for any deployment on this origin (a stored one may still be good: then
// nothing is drawn early, as before). Its words are Herald's own (src/i18n.rs; a native test
// checks that they match).
(() => {
  const TEXT = {
    en: {
      app_name: "Herald",
      language_label: "Language",
      sign_in_title: "Sign in to Herald",
      username: "Username",
      password: "Password",
      sign_in: "Sign in",
      signing_in: "Signing in…",
      crash_message: "Something went wrong.",
      crash_reload: "Reload",
    },
    ar: {
      app_name: "هيرالد",
      language_label: "اللغة",
      sign_in_title: "تسجيل الدخول إلى هيرالد",
      username: "اسم المستخدم",
      password: "كلمة المرور",
      sign_in: "تسجيل الدخول",
      signing_in: "جارٍ تسجيل الدخول…",
      crash_message: "حدث خطأ ما.",
      crash_reload: "إعادة التحميل",
    },
  };
  const LANG_KEY = 'herald.pref.lang';
  // Site data blocked: the getter throws, and nothing can be stored, a session included.
  let store = null;
  try {
    store = window.localStorage;
  } catch {}
  const template = document.getElementById('shell-template');
  const base = new URL(document.baseURI).pathname;
  const page = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : null;
  const signedIn = store && Object.keys(store).some((k) => k.startsWith('herald.session'));
  if (!template || (page !== '' && page !== 'login') || signedIn) return;

  const shell = template.content.firstElementChild.cloneNode(true);
  const form = shell.querySelector('form');
  const submit = form.querySelector('button');
  let lang = 'en';
  try {
    lang = String(JSON.parse(store.getItem(LANG_KEY))).trim().toLowerCase() === 'ar' ? 'ar' : 'en';
  } catch {}

  const show = () => {
    const t = TEXT[lang];
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
    for (const e of shell.querySelectorAll('[data-text]')) e.textContent = t[e.dataset.text];
    for (const e of shell.querySelectorAll('[data-label]')) e.setAttribute('aria-label', t[e.dataset.label]);
    for (const b of shell.querySelectorAll('[data-lang]')) {
      const pressed = b.dataset.lang === lang;
      b.classList.toggle('selected', pressed);
      b.setAttribute('aria-pressed', String(pressed));
    }
    if ('queued' in form.dataset) submit.textContent = t.signing_in;
  };

  shell.addEventListener('click', (e) => {
    const b = e.target.closest('[data-lang]');
    if (!b) return;
    lang = b.dataset.lang;
    try {
      store.setItem(LANG_KEY, JSON.stringify(lang));
    } catch {}
    show();
  });
  // Pressed before Herald is running: held, and sent by Herald as soon as it is.
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    form.dataset.queued = '';
    form.setAttribute('aria-busy', 'true');
    submit.disabled = true;
    show();
  });

  // Herald's code did not come (a link dropped mid-download, a proxy refused it): say so, with
  // the one way out, rather than leave a form that can never sign in. Only Herald's own loading
  // counts, not another script's error (an extension's): Trunk's module script failing to
  // import Herald's JS, or that JS failing to fetch or compile the wasm. Once Herald runs, its
  // own crash banner (src/components/crash.rs, same id and words) takes over.
  const failed = (e) => {
    const app = document.querySelector('link[rel=modulepreload]')?.href;
    const ours =
      (e.target instanceof HTMLScriptElement && e.target.type === 'module') ||
      (e.target === window && !!app && e.filename === app);
    if (!ours || 'wasmBindings' in window || !shell.isConnected) return;
    if (document.getElementById('herald-crash')) return;
    const t = TEXT[lang];
    const banner = document.createElement('div');
    banner.id = 'herald-crash';
    banner.className = 'crash-banner';
    banner.setAttribute('role', 'alert');
    banner.dataset.early = '';
    const message = document.createElement('p');
    message.textContent = t.crash_message;
    const reload = document.createElement('button');
    reload.type = 'button';
    reload.textContent = t.crash_reload;
    reload.addEventListener('click', () => location.reload());
    banner.append(message, reload);
    document.body.prepend(banner);
  };
  addEventListener('error', failed, true);
  addEventListener('TrunkApplicationStarted', () => document.querySelector('#herald-crash[data-early]')?.remove());

  show();
  document.body.append(shell);
})();
