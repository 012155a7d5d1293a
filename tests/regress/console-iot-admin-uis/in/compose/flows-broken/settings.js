module.exports = {
    flowFile: 'flows.json',
    editorTheme: { page: { title: "plant floor" } },
    /* unfinished comment
    adminAuth: { type: "credentials", users: [] },
}
