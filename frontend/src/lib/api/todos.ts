// A client's to-dos — wraps the Wails binding app.Todos.
import * as binding from '../../../wailsjs/go/app/Todos'
import type { Todo, TodoInput } from './types'

export type { Todo, TodoInput } from './types'

const Todos = binding

export async function listTodos(clientId: string): Promise<Todo[]> {
  return ((await Todos.List(clientId)) ?? []) as Todo[]
}

export const saveTodo = async (input: TodoInput) => (await Todos.Save(input)) as Todo
export const deleteTodo = (id: string) => Todos.Delete(id)
