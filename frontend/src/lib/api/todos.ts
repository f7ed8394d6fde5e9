// A client's to-dos — wraps the Wails binding app.Todos.
import * as binding from '../../../wailsjs/go/app/Todos'
import type { Todo, TodoInput } from './types'

export type { Todo, TodoInput } from './types'

const Todos = binding as unknown as {
  List(clientId: string): Promise<Todo[] | null>
  Save(input: TodoInput): Promise<Todo>
  Delete(id: string): Promise<void>
}

export async function listTodos(clientId: string): Promise<Todo[]> {
  return (await Todos.List(clientId)) ?? []
}

export const saveTodo = (input: TodoInput) => Todos.Save(input)
export const deleteTodo = (id: string) => Todos.Delete(id)
